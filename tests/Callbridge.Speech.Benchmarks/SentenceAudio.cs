using System.Diagnostics;
using Callbridge.Audio.Wav;

namespace Callbridge.Speech.Benchmarks;

/// <summary>The test sentence set spoken by flite and converted by sox to 16 kHz mono.</summary>
internal static class SentenceAudio
{
    public static IReadOnlyList<string> Sentences() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "sentences.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    public static List<short[]> Synthesize(string voice, int count = int.MaxValue)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cb-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var result = new List<short[]>();
            int i = 0;
            foreach (string sentence in Sentences().Take(count))
            {
                string raw = Path.Combine(dir, $"{i}.raw.wav");
                string wav = Path.Combine(dir, $"{i++}.wav");
                Run("flite", "-voice", voice, "-t", sentence, "-o", raw);
                Run("sox", raw, "-r", "16000", "-c", "1", "-b", "16", wav);
                using WavReader reader = WavReader.Open(wav);
                result.Add(reader.ReadAll());
            }

            return result;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start (Debian package {program}).");
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {p.StandardError.ReadToEnd()}");
        }
    }
}
