namespace Callbridge.Sdp.Tests;

/// <summary>
/// Compares descriptions by content, not layout: per section (session part, then each m-section in
/// order) the multiset of its lines. Attribute order inside a section carries no meaning in SDP
/// (except m= order, which is kept), so this is what "the same description" means.
/// </summary>
internal static class SdpNormalizer
{
    public static List<List<string>> Normalize(string sdp)
    {
        var sections = new List<List<string>> { new() };
        foreach (string raw in sdp.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                sections.Add([]);
            }

            sections[^1].Add(line);
        }

        foreach (List<string> section in sections)
        {
            section.Sort(StringComparer.Ordinal);
        }

        return sections;
    }

    public static void AssertEquivalent(string expected, string actual)
    {
        List<List<string>> e = Normalize(expected);
        List<List<string>> a = Normalize(actual);
        Assert.Equal(e.Count, a.Count);
        for (int i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i], a[i]);
        }
    }
}
