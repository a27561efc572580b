using System.Globalization;
using Callbridge.Audio.Wav;

namespace Callbridge.Speech.Tests;

/// <summary>
/// The sentence set (Data/sentences.txt) spoken by flite voices slt, rms and awb, converted by sox to
/// 16 kHz mono and trimmed of leading/trailing silence. Built once per test run.
/// </summary>
public sealed class FliteCorpus : IDisposable
{
    public static readonly string[] Voices = ["slt", "rms", "awb"];

    private readonly Dictionary<string, short[][]> _utterances = new(StringComparer.Ordinal);

    public FliteCorpus()
    {
        Sentences = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "sentences.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Directory.CreateDirectory(DirectoryPath);
        foreach (string voice in Voices)
        {
            var tasks = Sentences.Select((sentence, i) => SynthesizeAsync(voice, sentence, i)).ToArray();
            _utterances[voice] = Task.WhenAll(tasks).GetAwaiter().GetResult();
        }
    }

    public IReadOnlyList<string> Sentences { get; }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "cb-speech-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<short[]> Utterances(string voice) => _utterances[voice];

    /// <summary>All sentences of a voice, with <paramref name="pause"/> of digital silence between and around them.</summary>
    public short[] Concatenate(string voice, TimeSpan pause, int first = 0, int count = int.MaxValue)
    {
        int pauseSamples = (int)(16000 * pause.TotalSeconds);
        var all = new List<short>();
        all.AddRange(new short[pauseSamples]);
        foreach (short[] u in _utterances[voice].Skip(first).Take(count))
        {
            all.AddRange(u);
            all.AddRange(new short[pauseSamples]);
        }

        return all.ToArray();
    }

    public string WriteWav(string name, ReadOnlySpan<short> samples, int rate = 16000, int channels = 1)
    {
        string path = Path.Combine(DirectoryPath, name);
        using var writer = WavWriter.Create(path, new WavFormat(rate, channels));
        writer.Write(samples);
        return path;
    }

    private async Task<short[]> SynthesizeAsync(string voice, string sentence, int index)
    {
        string raw = Path.Combine(DirectoryPath, $"{voice}-{index:00}-raw.wav");
        string converted = Path.Combine(DirectoryPath, $"{voice}-{index:00}.wav");
        ExternalTool.Result flite = await ExternalTool.RunAsync("flite", "flite", "-voice", voice, "-t", sentence, "-o", raw);
        Assert.True(flite.ExitCode == 0, flite.Stderr);
        // 16 kHz mono 16-bit, leading and trailing silence (below -50 dB) removed.
        ExternalTool.Result sox = await ExternalTool.RunAsync("sox", "sox", raw, "-r", "16000", "-c", "1", "-b", "16", converted,
            "silence", "1", "0.02", "-50d", "reverse", "silence", "1", "0.02", "-50d", "reverse");
        Assert.True(sox.ExitCode == 0, sox.Stderr);
        using WavReader reader = WavReader.Open(converted);
        Assert.Equal(new WavFormat(16000, 1), reader.Format);
        short[] samples = reader.ReadAll();
        Assert.True(samples.Length > 8000, string.Create(CultureInfo.InvariantCulture, $"{voice} sentence {index} is only {samples.Length} samples"));
        return samples;
    }

    public void Dispose() => Directory.Delete(DirectoryPath, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class FliteCollection : ICollectionFixture<FliteCorpus>
{
    public const string Name = "flite corpus";
}
