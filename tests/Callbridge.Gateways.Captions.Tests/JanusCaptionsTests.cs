using System.Globalization;
using System.Text.Json;
using Callbridge.Audio.Wav;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.Speech.Metrics;
using Callbridge.Storage.Local;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Captions.Tests;

/// <summary>
/// Runs alone, after the assembly's other tests: the latency proof measures this pipeline on the host's two cores,
/// not whatever else the suite happens to run beside it.
/// </summary>
[CollectionDefinition(nameof(JanusCaptionsTests), DisableParallelization = true)]
public sealed class JanusCaptionsCollection;

/// <summary>
/// The captions gateway on a real Janus with two Chromium participants speaking flite sentences in turn (the
/// conference path: Opus from Chromium, SRTP, the media core, decoding and 48 -> 16 kHz resampling).
/// </summary>
[Collection(nameof(JanusCaptionsTests))]
public sealed class JanusCaptionsTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>
{
    private static readonly FliteVoice[] Voices = [FliteVoice.Slt, FliteVoice.Rms, FliteVoice.Awb];
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(1);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    private JanusConferenceConnector Connector() => new(_http, new JanusConferenceOptions
    {
        JanusUri = janus.HttpUri,
        PolicyPollInterval = TimeSpan.FromSeconds(1),
        IceInterfaces = [TestEnvironment.TestInterface],
        IceAddresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    });

    /// <summary>Live: partials while each speaker speaks, finals within a second of the end of speech, nothing dropped.</summary>
    [Fact]
    public Task Two_chromium_speakers_in_turn_get_live_partials_and_finals_within_a_second() =>
        FailureLogs.RunAsync(output, () => RunAsync(live: true), janus, browser);

    /// <summary>
    /// What is recognized and for whom through the conference path, with a backlog allowance so that a host
    /// busier than real time delays captions instead of dropping audio: the right speaker, word error rate.
    /// </summary>
    [Fact]
    public Task Two_chromium_speakers_in_turn_are_captioned_with_their_names_and_a_low_word_error_rate() =>
        FailureLogs.RunAsync(output, () => RunAsync(live: false), janus, browser);

    private async Task RunAsync(bool live)
    {
        string folder = TestEnvironment.NewFolder("captions-janus");
        string[] sentences = [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "sentences.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Take(20)];
        Assert.Equal(20, sentences.Length);

        // Sentence i is said by speaker i % 2 in voice i % 3; while one speaks the other is silent.
        var pcm = new short[sentences.Length][];
        for (int i = 0; i < sentences.Length; i++)
        {
            string wav = await SpeechSynth.WriteWavAsync(sentences[i], Voices[i % 3], SpeechSynth.WebRtcRate, folder, $"s{i:00}.wav");
            using WavReader reader = WavReader.Open(wav);
            pcm[i] = reader.ReadAll();
        }

        int gap = (int)(48000 * Gap.TotalSeconds);
        var tracks = new List<short>[2] { [], [] };
        for (int i = 0; i < sentences.Length; i++)
        {
            tracks[i % 2].AddRange(pcm[i]);
            tracks[1 - (i % 2)].AddRange(new short[pcm[i].Length]);
            tracks[0].AddRange(new short[gap]);
            tracks[1].AddRange(new short[gap]);
        }

        double period = tracks[0].Count / 48000.0;
        string[] files = new string[2];
        string[] files16k = new string[2];
        for (int s = 0; s < 2; s++)
        {
            files[s] = Path.Combine(folder, $"speaker{s}.wav");
            using (var writer = WavWriter.Create(files[s], new WavFormat(48000, 1)))
            {
                writer.Write(tracks[s].ToArray());
            }

            files16k[s] = Path.Combine(folder, $"speaker{s}-16k.wav");
            ExternalTool.Result sox = await ExternalTool.RunAsync("sox", "sox", files[s], "-r", "16000", files16k[s]);
            Assert.True(sox.ExitCode == 0, sox.Stderr);
        }

        string[] names = ["Ann", "Rob"];
        long room = await janus.CreateRoomAsync();
        await using BrowserParticipant ann = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "ann", FakeAudioWav = files[0] });
        await using BrowserParticipant rob = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "rob", FakeAudioWav = files[1] });
        Task<ParticipantJoinResult> annJoin = ann.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = names[0], PublishAudio = true });
        Task<ParticipantJoinResult> robJoin = rob.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = names[1], PublishAudio = true });
        Assert.True((await annJoin).Ok, (await annJoin).Error);
        Assert.True((await robJoin).Ok, (await robJoin).Error);

        var options = new CaptionsOptions { MaxSpeakers = 2, MaxBacklog = live ? TimeSpan.FromSeconds(5) : TimeSpan.FromMinutes(5) };
        await using var engine = new CaptionsEngine(options);
        var sink = new LocalFolderBlobSink(Path.Combine(folder, "blobs"));
        var factory = new CaptionsGatewayFactory(Connector(), sink, Options.Create(options), engine);
        var observer = new CaptionsObserver();
        IGateway gateway = await factory.StartAsync(new GatewayLaunch("t", room.ToString(CultureInfo.InvariantCulture), "captions-1", null, observer), CancellationToken.None);
        var captionsGateway = (CaptionsGateway)gateway;

        // Listen until each speaker's second final has come round again: one full loop of the script after it.
        bool LoopedOnce(string name)
        {
            var finals = observer.Captions.Select(c => c.Caption).Where(c => c.IsFinal && c.DisplayName == name && c.Text.Length > 0).ToList();
            return finals.Count > 2 && finals[^1].Start.TotalSeconds >= finals[1].Start.TotalSeconds + period - 0.5;
        }

        try
        {
            await observer.WaitForAsync(o => LoopedOnce(names[0]) && LoopedOnce(names[1]), TimeSpan.FromSeconds(live ? period * 2 + 30 : period * 6));
        }
        finally
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"script loop {period:0.0} s; notices: {string.Join("; ", observer.Notices)}"));
            foreach ((CaptionUpdate c, DateTimeOffset at) in observer.Captions.Where(c => c.Caption.IsFinal))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss.fff} {c.DisplayName} {c.Start.TotalSeconds:0.00}-{c.End.TotalSeconds:0.00} {c.UtteranceId}: {c.Text}"));
            }
        }

        GatewayOutcome outcome = await gateway.StopAsync(CancellationToken.None);
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.DoesNotContain(observer.Notices, n => n.Code is "audio-dropped" or "recognizer-failed" or "speaker-refused");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));

        using JsonDocument transcript = JsonDocument.Parse((await sink.GetAsync($"t/{room}/captions-1/transcript.json", CancellationToken.None))!);
        DateTimeOffset startedAt = transcript.RootElement.GetProperty("startedAt").GetDateTimeOffset();
        var arrivals = observer.Captions.ToList();
        var delays = new List<double>();
        WordErrors oursTotal = default, bareTotal = default;
        for (int s = 0; s < 2; s++)
        {
            string[] mine = [.. Enumerable.Range(0, sentences.Length).Where(i => i % 2 == s).Select(i => sentences[i])];
            string[] theirs = [.. Enumerable.Range(0, sentences.Length).Where(i => i % 2 != s).Select(i => sentences[i])];
            var finals = arrivals.Where(a => a.Caption.IsFinal && a.Caption.DisplayName == names[s] && a.Caption.Text.Length > 0).ToList();
            Assert.All(arrivals.Where(a => a.Caption.DisplayName == names[s]), a => Assert.Equal(finals[0].Caption.ParticipantId, a.Caption.ParticipantId));
            // One loop, from the second final (the first may have been cut by the gateway's start).
            double from = finals[1].Caption.Start.TotalSeconds;
            var window = finals.Skip(1).Where(f => f.Caption.Start.TotalSeconds < from + period - 0.5).ToList();
            foreach ((CaptionUpdate final, DateTimeOffset arrived) in window)
            {
                // The right speaker: each final reads like one of this speaker's sentences, not the other's.
                double own = mine.Min(m => WordErrorRate.Compute(m, final.Text).Rate);
                double other = theirs.Min(m => WordErrorRate.Compute(m, final.Text).Rate);
                Assert.True(own < other, $"{names[s]}: '{final.Text}' reads like the other speaker's ({own:P0} vs {other:P0})");
                // Partials before the final; live, one of them while the speech was still going on.
                Assert.Contains(arrivals, a => !a.Caption.IsFinal && a.Caption.UtteranceId == final.UtteranceId && a.At <= arrived
                    && (!live || (a.At - startedAt) < final.End));
                // The final after the speech ended.
                Assert.True(arrived - startedAt >= final.End, $"final '{final.Text}' before its end");
            }

            // Word error rate over the loop against the script from the sentence the window starts with.
            string hypothesis = string.Join(' ', window.Select(w => w.Caption.Text));
            int first = Enumerable.Range(0, mine.Length).MinBy(i => WordErrorRate.Compute(mine[i], window[0].Caption.Text).Rate);
            string reference = string.Join(' ', Enumerable.Range(0, mine.Length).Select(k => mine[(first + k) % mine.Length]));
            WordErrors ours = WordErrorRate.Compute(reference, hypothesis);
            ExternalTool.Result bare = await ExternalTool.RunAsync("pocketsphinx_continuous", "pocketsphinx", ["-infile", files16k[s]], null, TimeSpan.FromMinutes(15));
            Assert.True(bare.ExitCode == 0, bare.Stderr);
            WordErrors bareErrors = WordErrorRate.Compute(string.Join(' ', mine), bare.StdoutText);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[s]}: {window.Count} finals for {mine.Length} sentences; WER through the conference {ours.Rate:P1} ({ours.Edits}/{ours.ReferenceWords}); bare pocketsphinx_continuous on the same file {bareErrors.Rate:P1} ({bareErrors.Edits}/{bareErrors.ReferenceWords})"));
            oursTotal += ours;
            bareTotal += bareErrors;
        }

        foreach (JsonElement caption in transcript.RootElement.GetProperty("captions").EnumerateArray())
        {
            if (caption.GetProperty("reason").GetString() == "end-of-speech")
            {
                delays.Add(caption.GetProperty("emitted").GetDouble() - caption.GetProperty("end").GetDouble());
            }
        }

        delays.Sort();
        double p95 = delays[(int)Math.Ceiling(delays.Count * 0.95) - 1];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overall WER: conference path {oursTotal.Rate:P1}, bare pocketsphinx_continuous {bareTotal.Rate:P1}; end of utterance -> final: median {delays[delays.Count / 2]:0.000} s, p95 {p95:0.000} s, max {delays[^1]:0.000} s over {delays.Count} finals"));
        Assert.True(oursTotal.Rate <= 0.25, $"WER through the conference {oursTotal.Rate:P1}");
        if (live)
        {
            Assert.True(p95 <= 1.0, $"end of utterance -> final p95 {p95:0.000} s");
        }
        Assert.Equal(0, captionsGateway.EncryptedFramesDropped);
    }
}
