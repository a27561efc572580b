namespace Callbridge.ClientCaptions.Tests.Support;

internal static class Words
{
    /// <summary>How many of <paramref name="expected"/> occur as words in <paramref name="text"/>.</summary>
    public static int Matched(string text, params string[] expected)
    {
        var heard = text.ToLowerInvariant().Split([' ', '\n', '\r', '\t', ':', '.', ','], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return expected.Count(heard.Contains);
    }
}
