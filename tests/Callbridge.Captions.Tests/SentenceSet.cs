namespace Callbridge.Captions.Tests;

/// <summary>The project's sentence set (tests/Callbridge.Speech.Tests/Data/sentences.txt).</summary>
internal static class SentenceSet
{
    public static IReadOnlyList<string> Load() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "sentences.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
}
