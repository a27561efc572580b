using System.Reflection;
using Callbridge.Negotiation;

namespace Callbridge.Negotiation.Tests;

public sealed class DecisionTableTests
{
    private static readonly int[] Counts = [0, 1, 7];

    [Fact]
    public void Oracle_rows_are_mutually_exclusive_and_cover_every_case()
    {
        var cases = DecisionSpace.All(Counts).ToList();
        Assert.Equal(5 * 2 * 2 * 2 * 4 * 2 * 3 * 3 * 3, cases.Count);
        var bad = cases.Where(c => DecisionOracle.MatchingRows(c) != 1).Take(5).ToList();
        Assert.True(bad.Count == 0, "cases matching zero or several oracle rows: " + string.Join("; ", bad));
    }

    [Fact]
    public void Every_combination_matches_the_oracle_table()
    {
        var mismatches = new List<string>();
        int checkedCases = 0;
        foreach (DecisionSpace.Case c in DecisionSpace.All(Counts))
        {
            CapabilityDecision d = CapabilityPolicy.Decide(c.Gateway, c.E2ee, c.Tenant);
            checkedCases++;
            if (d.ReasonCode != DecisionOracle.Reason(c) || d.Outcome != DecisionOracle.Outcome(c))
            {
                mismatches.Add($"{c} => {d.Outcome}/{d.ReasonCode}, table says {DecisionOracle.Outcome(c)}/{DecisionOracle.Reason(c)}");
            }
        }

        Assert.Equal(8640, checkedCases);
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
    }

    [Fact]
    public void Every_reason_code_is_reached_and_the_set_is_closed()
    {
        var reached = DecisionSpace.All(Counts).Select(c => CapabilityPolicy.DecideReason(c.Gateway, c.E2ee, c.Tenant)).ToHashSet();
        var declared = typeof(ReasonCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.Equal(declared.Order(), reached.Order());
        Assert.Equal(declared.Order(), ReasonCodes.InPrecedenceOrder.Order());
        Assert.All(declared, code => Assert.False(string.IsNullOrWhiteSpace(ReasonCodes.Describe(code))));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReasonCodes.Describe("e2ee.unknown"));
    }

    [Fact]
    public void Committed_decision_table_matches_the_code()
    {
        string path = Path.Combine(RepositoryPaths.Root(), DecisionTableDocument.RelativePath);
        string expected = DecisionTableDocument.Render();
        if (Environment.GetEnvironmentVariable("CALLBRIDGE_WRITE_DECISION_TABLE") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{DecisionTableDocument.RelativePath} is missing; regenerate it (see its header).");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (committed != expected)
        {
            string[] a = committed.Split('\n');
            string[] b = expected.Split('\n');
            int line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
            Assert.Fail($"{DecisionTableDocument.RelativePath} differs from the code at line {line + 1}:\n  file: {(line < a.Length ? a[line] : "<end>")}\n  code: {(line < b.Length ? b[line] : "<end>")}\nRegenerate with CALLBRIDGE_WRITE_DECISION_TABLE=1.");
        }
    }

    [Fact]
    public void Generated_table_lists_every_combination_once()
    {
        string[] rows = DecisionTableDocument.Render().Split('\n').Where(l => l.StartsWith("| Recording", StringComparison.Ordinal)
            || l.StartsWith("| Pstn", StringComparison.Ordinal) || l.StartsWith("| ServerCaptions", StringComparison.Ordinal)
            || l.StartsWith("| PresenceOnly", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5 * 2 * 2 * 2 * 4 * 2 * 3 * 2 * 2, rows.Length);
        Assert.Equal(rows.Length, rows.Select(r => string.Join("|", r.Split(" | ").Take(9))).Distinct().Count());
    }
}
