using System.Text.Json;
using Callbridge.Audio.Resampling;
using Callbridge.Audio.Wav;
using Callbridge.Speech.Captions;
using Callbridge.Speech.Metrics;

namespace Callbridge.Speech.Tests;

[Collection(FliteCollection.Name)]
public sealed class CaptionsTranscribeCommandTests
{
    private readonly FliteCorpus _corpus;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public CaptionsTranscribeCommandTests(FliteCorpus corpus, Xunit.Abstractions.ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CaptionsTranscribeCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Two sentences as 48 kHz stereo (a conference recording): exercises downmix and resampling to 16 kHz.
    /// </summary>
    private string ConferenceRecording()
    {
        short[] mono16k = _corpus.Concatenate("slt", TimeSpan.FromSeconds(1), first: 0, count: 2);
        using var up = new SpeexResampler(1, 16000, 48000);
        short[] mono48k = new short[up.GetMaxOutputLength(mono16k.Length)];
        int n = up.ProcessAll(mono16k, mono48k);
        short[] stereo = new short[n * 2];
        for (int i = 0; i < n; i++)
        {
            stereo[2 * i] = mono48k[i];
            stereo[2 * i + 1] = mono48k[i];
        }

        return _corpus.WriteWav($"conference-{Guid.NewGuid():N}.wav", stereo, 48000, 2);
    }

    [Fact]
    public void TranscribesToTextWithTimings()
    {
        (int exit, string output, string err) = Run(ConferenceRecording());
        Assert.True(exit == 0, err);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\[00:00:0\d\.\d{3} --> 00:00:0\d\.\d{3}\] [a-z' ]+ \(\d\.\d\d\)$", lines[0]);
        string text = string.Join(' ', lines.Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..l.LastIndexOf('(')]));
        double wer = WordErrorRate.Compute(_corpus.Sentences[0] + " " + _corpus.Sentences[1], text).Rate;
        Assert.True(wer <= 0.3, $"WER {wer:P0}: {text}");
    }

    [Fact]
    public void WritesWebVttAndJson()
    {
        string wav = ConferenceRecording();
        (int exit, string vtt, string err) = Run(wav, "--format", "vtt");
        Assert.True(exit == 0, err);
        Assert.StartsWith("WEBVTT\n\n1\n00:00:0", vtt, StringComparison.Ordinal);
        Assert.Contains("\n2\n", vtt, StringComparison.Ordinal);

        (exit, string json, err) = Run("--format=json", wav);
        Assert.True(exit == 0, err);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement[] segments = doc.RootElement.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(2, segments.Length);
        Assert.True(segments[0].GetProperty("end").GetDouble() < segments[1].GetProperty("start").GetDouble());
        Assert.InRange(segments[0].GetProperty("confidence").GetDouble(), 0, 1);
        Assert.Equal("EndOfSpeech", segments[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task IsNoWorseThanBarePocketSphinxContinuousOnTheSameFile()
    {
        // Eight sentences in three voices, 1 s apart, as one 48 kHz stereo recording (the command downmixes and
        // resamples; pocketsphinx_continuous gets the same audio at its 16 kHz mono).
        var mono16k = new List<short>();
        var reference = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            mono16k.AddRange(new short[16000]);
            mono16k.AddRange(_corpus.Utterances(FliteCorpus.Voices[i % 3])[i + 8]);
            reference.Add(_corpus.Sentences[i + 8]);
        }

        mono16k.AddRange(new short[16000]);
        string bareWav = _corpus.WriteWav($"mixed-{Guid.NewGuid():N}.wav", mono16k.ToArray());
        using var up = new SpeexResampler(1, 16000, 48000);
        short[] mono48k = new short[up.GetMaxOutputLength(mono16k.Count)];
        int n = up.ProcessAll(mono16k.ToArray(), mono48k);
        short[] stereo = new short[n * 2];
        for (int i = 0; i < n; i++)
        {
            stereo[2 * i] = mono48k[i];
            stereo[2 * i + 1] = mono48k[i];
        }

        string recording = _corpus.WriteWav($"mixed-48k-{Guid.NewGuid():N}.wav", stereo, 48000, 2);
        Task<ExternalTool.Result> bareRun = ExternalTool.RunAsync("pocketsphinx_continuous", "pocketsphinx", ["-infile", bareWav], null, TimeSpan.FromMinutes(15));
        (int exit, string output, string err) = Run(recording);
        Assert.True(exit == 0, err);
        ExternalTool.Result bare = await bareRun;
        Assert.True(bare.ExitCode == 0, bare.Stderr);
        string ours = string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..l.LastIndexOf('(')]));
        WordErrors oursErrors = WordErrorRate.Compute(string.Join(' ', reference), ours);
        WordErrors bareErrors = WordErrorRate.Compute(string.Join(' ', reference), bare.StdoutText);
        _output.WriteLine(FormattableString.Invariant(
            $"captions transcribe {oursErrors.Rate:P1} ({oursErrors.Edits}/{oursErrors.ReferenceWords}), pocketsphinx_continuous {bareErrors.Rate:P1} ({bareErrors.Edits}/{bareErrors.ReferenceWords})"));
        Assert.True(oursErrors.Rate <= bareErrors.Rate + 0.02, $"ours {oursErrors.Rate:P1} vs bare {bareErrors.Rate:P1}");
    }

    [Fact]
    public void BadFilesExitWithTwoAndSayWhy()
    {
        string notWav = Path.Combine(_corpus.DirectoryPath, "notes.wav");
        File.WriteAllText(notWav, "this is not a wave file at all");
        (int exit, string output, string err) = Run(notWav);
        Assert.Equal(CaptionsTranscribeCommand.ExitBadFile, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("not a 16-bit PCM WAV file (NotRiff)", err, StringComparison.Ordinal);

        string truncated = Path.Combine(_corpus.DirectoryPath, "truncated.wav");
        File.WriteAllBytes(truncated, File.ReadAllBytes(ConferenceRecording())[..30]);
        (exit, _, err) = Run(truncated);
        Assert.Equal(CaptionsTranscribeCommand.ExitBadFile, exit);
        Assert.Contains("(Truncated)", err, StringComparison.Ordinal);

        (exit, _, err) = Run(Path.Combine(_corpus.DirectoryPath, "missing.wav"));
        Assert.Equal(CaptionsTranscribeCommand.ExitBadFile, exit);
        Assert.Contains("cannot read", err, StringComparison.Ordinal);

        // The typed error under the message.
        using var stream = File.OpenRead(notWav);
        Assert.Equal(WavError.NotRiff, WavReader.TryOpen(stream, leaveOpen: true, out _));
    }

    [Fact]
    public void UsageErrorsExitWithOne()
    {
        Assert.Equal(CaptionsTranscribeCommand.ExitUsage, Run().Exit);
        Assert.Equal(CaptionsTranscribeCommand.ExitUsage, Run("a.wav", "--format", "srt").Exit);
        Assert.Equal(CaptionsTranscribeCommand.ExitUsage, Run("a.wav", "--bogus").Exit);
        Assert.Equal(CaptionsTranscribeCommand.ExitOk, Run("--help").Exit);
    }
}
