using Callbridge.Negotiation.Audit;

namespace Callbridge.Negotiation.Tests;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cb-audit-").FullName;

    private static DecisionAuditEntry Entry(string conference, int n)
    {
        var gateway = GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin);
        var e2ee = ConferenceE2eeState.Clear with { DeclaredE2eeParticipants = n };
        var tenant = TenantPolicy.Create(groupRequiresE2ee: n % 2 == 0, disabled: GatewayFeature.Phone);
        return DecisionAuditEntry.For(DateTimeOffset.UnixEpoch.AddSeconds(n), conference, "gw-" + n, AuditEvent.Decision, gateway, e2ee, tenant,
            CapabilityPolicy.Decide(gateway, e2ee, tenant));
    }

    [Fact]
    public void In_memory_log_is_bounded_per_conference_and_in_conferences()
    {
        var log = new InMemoryDecisionAuditLog(maxEntriesPerConference: 3, maxConferences: 2);
        for (int i = 1; i <= 5; i++)
        {
            log.Append(Entry("conf-a", i));
        }

        Assert.Equal(["gw-3", "gw-4", "gw-5"], log.Query("conf-a").Select(e => e.GatewayId));
        Assert.Equal(["gw-5"], log.Query("conf-a", maxEntries: 1).Select(e => e.GatewayId));
        log.Append(Entry("conf-b", 1));
        log.Append(Entry("conf-a", 6));   // a is now the most recently written
        log.Append(Entry("conf-c", 1));   // evicts b, not a
        Assert.Equal(2, log.ConferenceCount);
        Assert.Empty(log.Query("conf-b"));
        Assert.Equal(3, log.Query("conf-a").Count);
        Assert.Single(log.Query("conf-c"));
    }

    [Fact]
    public void Json_lines_log_round_trips_every_field_and_queries_per_conference()
    {
        string path = Path.Combine(_dir, "audit.jsonl");
        using (var log = new JsonLinesDecisionAuditLog(path))
        {
            for (int i = 1; i <= 6; i++)
            {
                log.Append(Entry(i % 2 == 0 ? "conf-even" : "conf-odd", i));
            }
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(6, lines.Length);
        Assert.Contains("\"reason_code\":\"e2ee.participant_declared\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"event\":\"Decision\"", lines[0], StringComparison.Ordinal);

        // Reopening appends; it never truncates.
        using var reopened = new JsonLinesDecisionAuditLog(path);
        reopened.Append(Entry("conf-even", 8));
        IReadOnlyList<DecisionAuditEntry> even = reopened.Query("conf-even");
        Assert.Equal(["gw-2", "gw-4", "gw-6", "gw-8"], even.Select(e => e.GatewayId));
        DecisionAuditEntry expected = Entry("conf-even", 4);
        DecisionAuditEntry actual = even[1];
        Assert.Equal(expected with { DisabledFeatures = [] }, actual with { DisabledFeatures = [] });
        Assert.Equal(expected.DisabledFeatures, actual.DisabledFeatures);
        Assert.Equal(["gw-6", "gw-8"], reopened.Query("conf-even", maxEntries: 2).Select(e => e.GatewayId));
    }

    [Fact]
    public void Torn_line_is_counted_and_skipped()
    {
        string path = Path.Combine(_dir, "torn.jsonl");
        using (var log = new JsonLinesDecisionAuditLog(path))
        {
            log.Append(Entry("c", 1));
        }

        File.AppendAllText(path, "{\"at\":\"2026-11-2");
        using var reopened = new JsonLinesDecisionAuditLog(path);
        Assert.Single(reopened.Query("c"));
        Assert.Equal(1, reopened.UnreadableLines);
    }

    [Fact]
    public void Negotiator_records_each_decision_with_inputs_and_time()
    {
        var time = new Support.ManualTimeProvider();
        var log = new InMemoryDecisionAuditLog();
        var negotiator = new CapabilityNegotiator(log, time);
        var state = ConferenceE2eeState.Clear with { RoomRequiresE2ee = true };
        CapabilityDecision d = negotiator.Decide("conf-1", "cap-1", GatewayRequest.For(GatewayKind.ServerCaptions, GatewayPhase.AboutToJoin), state, TenantPolicy.Open);
        DecisionAuditEntry e = Assert.Single(log.Query("conf-1"));
        Assert.Equal((time.GetUtcNow(), "cap-1", CapabilityOutcome.Refuse, ReasonCodes.RoomPolicy, state), (e.At, e.GatewayId, e.Outcome, e.ReasonCode, e.E2ee));
        Assert.Equal(d.ReasonCode, e.ReasonCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
