using System.Diagnostics;
using Callbridge.Conference.Janus;
using Callbridge.Negotiation;
using Callbridge.PhoneMedia;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Callbridge.TestSupport.Sip;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>
/// Runs alone, after the assembly's other tests: the audio proofs cross four real-time hops, and the sipp
/// scenarios beside them would take the cores those hops need.
/// </summary>
[CollectionDefinition(nameof(BaresipJanusTests), DisableParallelization = true)]
public sealed class BaresipJanusCollection;

/// <summary>The whole bridge with real peers inside the network namespace: baresip dials in through our SIP
/// stack into a real Janus room where a headless Chromium participant talks and listens.</summary>
[Collection(nameof(BaresipJanusTests))]
public sealed class BaresipJanusTests(JanusFixture janus, BrowserFixture browser, BaresipFixture baresip, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>, IClassFixture<BaresipFixture>
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    private JanusConferenceConnector Connector() => new(_http, new JanusConferenceOptions
    {
        JanusUri = janus.HttpUri,
        PolicyPollInterval = TimeSpan.FromSeconds(1),
        IceInterfaces = [TestEnvironment.TestInterface],
        IceAddresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    });

    /// <summary>8 kHz speech preceded by <paramref name="leadSilence"/> s of silence and repeated, so the phone talks
    /// after the welcome prompt and for the whole call (baresip's aufile ends the call when the file ends).</summary>
    private static async Task<string> PhoneSpeechAsync(string folder, string text, int leadSilence, int repeats)
    {
        string speech = await SpeechSynth.WriteWavAsync(text, FliteVoice.Awb, SpeechSynth.TelephonyRate, folder, "phone-speech.wav");
        string silence = Path.Combine(folder, "silence.wav");
        string result = Path.Combine(folder, "phone.wav");
        await Sox("-n", "-r", "8000", "-c", "1", "-b", "16", silence, "trim", "0", leadSilence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Sox([silence, .. Enumerable.Repeat(speech, repeats), result]);
        return result;
    }

    private static async Task Sox(params string[] args)
    {
        RequiredPrograms.Require(RequiredPrograms.Sox);
        var psi = new ProcessStartInfo(RequiredPrograms.Sox) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("sox failed: " + err);
    }

    private static double[] Envelope(string wav)
    {
        var audio = WavAudio.Read(wav);
        return AudioCompare.EnergyEnvelope(audio.Samples, audio.SampleRate);
    }

    [Fact]
    public Task BaresipDialsInTalksToChromiumAndHearsIt() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync();
        string folder = TestEnvironment.NewFolder("pstn-dialin");
        string aliceWav = await SpeechSynth.WriteWavAsync("Good morning everyone. The quarterly numbers look strong, and we will ship the release on Friday.",
            FliteVoice.Slt, SpeechSynth.WebRtcRate, folder, "alice.wav");
        string phoneWav = await PhoneSpeechAsync(folder, "Hello from the phone. I am calling from the airport, and I can hear all of you very well.", 4, 6);

        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = aliceWav });
        var joined = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, Subscribe = true });
        Assert.True(joined.Ok, joined.Error);

        await using var bridge = new BridgeHarness(connector: Connector(), conferenceId: room.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await bridge.StartAsync();
        var phone = baresip.Start(new BaresipOptions
        {
            Name = "caller",
            User = "+15550001234",
            AudioSourceWav = phoneWav,
            Dial = $"sip:{BridgeHarness.OpenNumber}@{bridge.Runtime.LocalEndPoint}",
            RunFor = TimeSpan.FromSeconds(45),
        });

        // The phone's speech reaches the Chromium participant through the bridge (Opus published into Janus).
        var stats = await alice.WaitForStatsAsync(s => s.AudioIn.PacketsReceived > 200 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(40));
        output.WriteLine("alice: " + stats);
        var call = Assert.Single(bridge.Calls);
        Assert.Equal(GatewayRunState.Running, call.State);
        Assert.Single(bridge.Audit.Query(room.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // ...and it is the phone's sentence: what alice's page heard from the phone's feed follows its envelope.
        // 20 s: three to four renditions of the 5.5 s sentence. Each is judged phrase by phrase, in order: each
        // real-time hop (baresip, the bridge's phone playout, Janus, Chromium's jitter buffer) may shorten or stretch
        // a pause on a loaded host, which shifts what follows and defeats one lag for the whole sentence, and a stall
        // costs the phrases under it. So the best rendition must have most, not all, of its phrases.
        await alice.StartAudioRecordingAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        var phoneFeed = PhoneTrack(await alice.StopAudioRecordingAsync());
        double[] phoneSentence = Envelope(Path.Combine(folder, "phone-speech.wav"));
        var (heardByAlice, renditions) = AudioCompare.PhrasesInBestRendition(phoneSentence,
            AudioCompare.EnergyEnvelope(phoneFeed.Audio.Samples, phoneFeed.Audio.SampleRate), PhraseMatch, minPauseWindows: 5);
        string heardFigures = $"alice heard the phone's feed for {phoneFeed.Audio.DurationSeconds:F1} s; phrases matched per rendition (stretch start: "
            + $"matched/phrases [r]): {renditions}; the best (sentence ms -> heard ms: r): "
            + string.Join(", ", heardByAlice.Select(p => $"{p.SpeechStart * 10} -> {p.HeardStart * 10}: {p.R:F2}"));
        output.WriteLine(heardFigures);
        output.WriteLine($"bridge phone leg: {call.MediaSession.Statistics}; conference side: {call.ConferenceAudioStatistics}; alice now: {await alice.GetStatsAsync()}");
        Assert.True(heardByAlice.Count >= 4, $"{heardByAlice.Count} phrases in the phone's sentence");
        Assert.True(heardByAlice.Count(p => p.R > PhraseMatch) >= 0.55 * heardByAlice.Count, "too few of the phone's phrases in what alice heard: " + heardFigures);
        // The same measure on other speech (alice's own sentence, also flite) stays below that bar.
        var control = AudioCompare.PhrasesInOrder(phoneSentence, Envelope(aliceWav), minPauseWindows: 5);
        output.WriteLine($"phone sentence phrases in alice's own speech (control): {string.Join(", ", control.Select(p => $"{p.R:F2}"))}");
        Assert.True(control.Count(p => p.R > PhraseMatch) < 0.55 * control.Count, "the measure does not tell the phone's speech from alice's");

        await phone.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);

        // Alice's speech is in what the phone heard; the phone's own voice is not echoed back to it.
        string heard = Assert.Single(phone.ReceivedRecordings);
        var heardEnvelope = Envelope(heard);
        var (aliceScore, aliceLag) = AudioCompare.NormalizedCrossCorrelation(Envelope(aliceWav), heardEnvelope, heardEnvelope.Length);
        var (echoScore, _) = AudioCompare.NormalizedCrossCorrelation(Envelope(Path.Combine(folder, "phone-speech.wav")), heardEnvelope, heardEnvelope.Length);
        output.WriteLine($"phone heard {WavAudio.Read(heard).DurationSeconds:F1} s: alice correlation {aliceScore:F2} at lag {aliceLag * 10} ms, own voice {echoScore:F2}");
        Assert.True(aliceScore > 0.6, $"alice's speech in the phone's recording: r={aliceScore:F2}");
        Assert.True(echoScore < aliceScore - 0.2, $"own voice r={echoScore:F2} vs alice r={aliceScore:F2}");
    }, janus, browser, baresip);

    [Fact]
    public Task PhoneHearsBothChromiumSpeakersInTheirTurnsButNotItself() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync();
        string conferenceId = room.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string folder = TestEnvironment.NewFolder("pstn-mix");
        // Two speakers taking turns, as in a meeting: Chromium loops each fake microphone file, both files last one
        // period, alice speaks at its start and bob 5 s in, with at least 1.5 s of silence between the turns. Both
        // microphones open together (parallel joins), so the turns stay apart while the call lasts.
        string aliceWav = await SpeakerAsync(folder, "alice", "Good morning everyone. The quarterly numbers look strong.", FliteVoice.Slt, TimeSpan.Zero);
        string bobWav = await SpeakerAsync(folder, "bob", "Thanks Alice. Shipping moves to Friday, and marketing needs two more weeks.", FliteVoice.Rms, BobTurn);
        string phoneWav = await PhoneSpeechAsync(folder, "Hello from the phone. I am calling from the airport, and I can hear all of you very well.", 4, 5);

        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = aliceWav });
        await using BrowserParticipant bob = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "bob", FakeAudioWav = bobWav });
        var joins = await Task.WhenAll(
            alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, Subscribe = true }),
            bob.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Bob", PublishAudio = true, Subscribe = true }));
        Assert.All(joins, j => Assert.True(j.Ok, j.Error));
        // How much later bob's microphone (and so his file) started than alice's: it moves his turns by as much.
        double micSkewMs = await bob.Page.EvaluateAsync<double>("() => window.cb.micOpenedAt") - await alice.Page.EvaluateAsync<double>("() => window.cb.micOpenedAt");
        output.WriteLine($"bob's microphone opened {micSkewMs:F0} ms after alice's");

        await using var bridge = new BridgeHarness(connector: Connector(), conferenceId: conferenceId);
        await bridge.StartAsync();
        var phone = baresip.Start(new BaresipOptions
        {
            Name = "mix-caller",
            User = "+15550001234",
            AudioSourceWav = phoneWav,
            Dial = $"sip:{BridgeHarness.OpenNumber}@{bridge.Runtime.LocalEndPoint}",
            RunFor = TimeSpan.FromSeconds(45),
        });

        // Both speakers must be subscribed by the bridge and the phone's publication must be up before the call's
        // audio means anything.
        var stats = await bob.WaitForStatsAsync(s => s.RemoteTracks >= 2 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(40));
        output.WriteLine("bob: " + stats);
        Assert.True(stats.RemoteTracks >= 2, "bob never got the phone's feed: the bridge's publication did not come up in Janus (see janus.log). " + stats);
        var call = await WaitForCallAsync(bridge);

        await phone.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);

        // The phone's mix: both speakers, each in its own turn, and not the caller's own sentence. The welcome prompt
        // (before the bridge joined) is left out.
        output.WriteLine("bridge RTP: " + call.FinalRtpStatistics);
        var heard = WavAudio.Read(Assert.Single(phone.ReceivedRecordings));
        int skip = (int)((PromptLibrary.Default.DurationOf(PhonePrompt.Welcome).TotalSeconds + 1) * heard.SampleRate);
        Assert.True(heard.Samples.Length > skip + 10 * heard.SampleRate, $"the phone's recording is {heard.DurationSeconds:F1} s");
        var mix = AudioCompare.EnergyEnvelope(heard.Samples.AsSpan(skip), heard.SampleRate);
        var aliceTurns = Occurrences(Path.Combine(folder, "alice-speech.wav"), mix);
        var bobTurns = Occurrences(Path.Combine(folder, "bob-speech.wav"), mix);
        var echo = Occurrences(Path.Combine(folder, "phone-speech.wav"), mix);
        output.WriteLine($"phone's mix ({mix.Length / 100.0:F1} s after the welcome), sentence matches as (start ms, r): alice {Describe(aliceTurns)}; "
            + $"bob {Describe(bobTurns)}; own voice {Describe(echo)}");
        var aliceBest = aliceTurns.MaxBy(t => t.R);
        var bobBest = bobTurns.MaxBy(t => t.R);
        double echoBest = echo.Count == 0 ? 0 : echo.Max(t => t.R);
        Assert.True(aliceBest.R > 0.7, $"alice's sentence in the phone's mix: best r={aliceBest.R:F2}");
        Assert.True(bobBest.R > 0.7, $"bob's sentence in the phone's mix: best r={bobBest.R:F2}");
        // At the right time: bob's sentence starts his turn (5 s plus the microphones' skew) after one of alice's, or
        // one period before one; 1.5 s covers the two paths' different delays and frames the phone leg skipped.
        double expected = BobTurn.TotalMilliseconds + micSkewMs;
        Assert.Contains(aliceTurns, a => a.R > 0.5 && (Math.Abs(bobBest.StartMs - a.StartMs - expected) <= 1500
            || Math.Abs(bobBest.StartMs - a.StartMs - expected + TurnPeriod.TotalMilliseconds) <= 1500));
        Assert.True(echoBest < Math.Min(aliceBest.R, bobBest.R) - 0.2, $"own voice r={echoBest:F2} vs alice r={aliceBest.R:F2}, bob r={bobBest.R:F2}");
    }, janus, browser, baresip);

    [Fact]
    public Task TwoPhonesInOneRoomHearEachOtherInTheBridgeAndChromiumHearsBoth() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync();
        string conferenceId = room.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string folder = TestEnvironment.NewFolder("pstn-local");
        // Alice listens, and publishes a silent microphone: her track is in the room (the bridge must still take it
        // from Janus) without covering the phones' sentences in their mixes.
        string aliceWav = Path.Combine(folder, "alice-silence.wav");
        await Sox("-n", "-r", "48000", "-c", "1", "-b", "16", aliceWav, "trim", "0", "10");
        // Each phone's own folder: PhoneSpeechAsync names its files the same for every caller.
        string[] sentences =
        [
            "Hello from the first phone. I am calling from the airport, and the flight is on time.",
            "This is the second phone. The traffic is heavy downtown, so I will be late today.",
        ];
        var phoneFolders = new string[2];
        var phoneWavs = new string[2];
        for (int i = 0; i < 2; i++)
        {
            phoneFolders[i] = Directory.CreateDirectory(Path.Combine(folder, "phone" + i)).FullName;
            phoneWavs[i] = await PhoneSpeechAsync(phoneFolders[i], sentences[i], 4, 5);
        }

        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = aliceWav });
        var joined = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, Subscribe = true });
        Assert.True(joined.Ok, joined.Error);

        await using var bridge = new BridgeHarness(connector: Connector(), conferenceId: conferenceId);
        await bridge.StartAsync();
        BaresipInstance[] phones = [.. Enumerable.Range(0, 2).Select(i => baresip.Start(new BaresipOptions
        {
            Name = "local-caller" + i,
            User = "+1555000" + (i == 0 ? "1111" : "2222"),
            AudioSourceWav = phoneWavs[i],
            Dial = $"sip:{BridgeHarness.OpenNumber}@{bridge.Runtime.LocalEndPoint}",
            RunFor = TimeSpan.FromSeconds(40),
        }))];

        // Alice hears both phones through Janus: both calls publish as usual.
        var stats = await alice.WaitForStatsAsync(s => s.RemoteTracks >= 2 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(40));
        output.WriteLine("alice: " + stats);
        Assert.True(stats.RemoteTracks >= 2, "alice did not get both phones' feeds: " + stats);

        // The room's one subscription holds alice's track only: Janus does not send the bridge its own callers back.
        var hub = Assert.Single(bridge.Runtime.AudioHubs.Open);
        Assert.Equal(2, hub.Users);
        var subscribed = hub.Subscription!.Tracks;
        output.WriteLine("the room's subscription: " + string.Join(", ", subscribed.Select(t => t.TrackId)));
        Assert.Single(subscribed);
        Assert.Equal(2, bridge.Calls.Count);
        Assert.All(bridge.Calls, c => Assert.True(hub.IsLocalCaller(CallParticipant(c)), "a call's participant is not known as a local caller"));
        Assert.DoesNotContain(subscribed, t => bridge.Calls.Any(c => CallParticipant(c) == t.ParticipantId));

        // The room's two calls tick on one media clock thread (of the bridge's two or more), which writes and reads
        // their rings in one order each pass.
        SendThreads[] sendThreads = [.. bridge.Calls.Select(c => { var threads = new SendThreads(); c.MediaSession.Observer = threads; return threads; })];
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(bridge.Calls, c => c.MediaSession.Observer = null);
        output.WriteLine("the calls' send threads: " + string.Join("; ", sendThreads.Select(t => string.Join(", ", t.Names))));
        Assert.Equal(sendThreads[0].Names.Single(), sendThreads[1].Names.Single());

        foreach (BaresipInstance phone in phones)
        {
            await phone.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        foreach (DialInCall call in bridge.Calls)
        {
            var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
            output.WriteLine($"{call.CallerNumber}: {call.FinalRtpStatistics}");
        }

        // Each phone hears the other phone's sentence (mixed in the bridge), and not its own.
        for (int i = 0; i < 2; i++)
        {
            var heard = WavAudio.Read(Assert.Single(phones[i].ReceivedRecordings));
            int skip = (int)((PromptLibrary.Default.DurationOf(PhonePrompt.Welcome).TotalSeconds + 1) * heard.SampleRate);
            Assert.True(heard.Samples.Length > skip + 10 * heard.SampleRate, $"phone {i}'s recording is {heard.DurationSeconds:F1} s");
            var mix = AudioCompare.EnergyEnvelope(heard.Samples.AsSpan(skip), heard.SampleRate);
            var other = Occurrences(Path.Combine(phoneFolders[1 - i], "phone-speech.wav"), mix);
            var own = Occurrences(Path.Combine(phoneFolders[i], "phone-speech.wav"), mix);
            output.WriteLine($"phone {i}'s mix ({mix.Length / 100.0:F1} s after the welcome), sentence matches as (start ms, r): other phone {Describe(other)}; "
                + $"own voice {Describe(own)}");
            double otherBest = other.Count == 0 ? 0 : other.Max(t => t.R);
            double ownBest = own.Count == 0 ? 0 : own.Max(t => t.R);
            Assert.True(otherBest > 0.7, $"phone {1 - i}'s sentence in phone {i}'s mix: best r={otherBest:F2}");
            Assert.True(ownBest < otherBest - 0.2, $"phone {i}'s own voice r={ownBest:F2} vs the other phone r={otherBest:F2}");
        }
    }, janus, browser, baresip);

    /// <summary>The names of the threads a call's phone packets are sent on (its media clock thread).</summary>
    private sealed class SendThreads : IPhoneRtpObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _names = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Names => [.. _names.Keys];

        public void OnRtpReceived(ReadOnlySpan<byte> datagram, long timestamp)
        {
        }

        public void OnRtpSent(ReadOnlySpan<byte> packet, long timestamp) => _names.TryAdd(Thread.CurrentThread.Name ?? "?", true);
    }

    /// <summary>The participant a call publishes as: its conference session's, through the call's own leg.</summary>
    private static string CallParticipant(DialInCall call) =>
        call.ConferenceParticipantId ?? throw new InvalidOperationException($"call {call.CallerNumber} has no conference participant");

    /// <summary>A phrase of the caller's speech counts as heard at this envelope correlation or above.</summary>
    private const double PhraseMatch = 0.85;

    /// <summary>When bob's turn starts in each period of the speakers' files.</summary>
    private static readonly TimeSpan BobTurn = TimeSpan.FromSeconds(5);

    /// <summary>One period of the speakers' files (alice's turn, then bob's, then silence).</summary>
    private static readonly TimeSpan TurnPeriod = TimeSpan.FromSeconds(12);

    /// <summary>
    /// 48 kHz speech at a common speech level (RMS 0.12; flite's rms voice is 6 dB quieter than slt) placed at
    /// <paramref name="turn"/> in a file of <see cref="TurnPeriod"/>; the speech alone is kept as NAME-speech.wav.
    /// </summary>
    private static async Task<string> SpeakerAsync(string folder, string name, string text, FliteVoice voice, TimeSpan turn)
    {
        string speech = await SpeechSynth.WriteWavAsync(text, voice, SpeechSynth.WebRtcRate, folder, name + "-speech.wav");
        var audio = WavAudio.Read(speech);
        double after = (TurnPeriod - turn).TotalSeconds - audio.DurationSeconds;
        Assert.True(after >= 1.5, $"{name}'s sentence ({audio.DurationSeconds:F1} s) does not fit its turn");
        double gain = 0.12 / AudioCompare.Rms(audio.Samples);
        string result = Path.Combine(folder, name + ".wav");
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        await Sox(speech, result, "vol", gain.ToString("0.####", invariant), "pad", turn.TotalSeconds.ToString("0.###", invariant), after.ToString("0.###", invariant));
        return result;
    }

    /// <summary>
    /// Where <paramref name="sentenceWav"/> occurs in <paramref name="mix"/> (10 ms energy envelope): the envelope
    /// correlation of the sentence with each same-length stretch of the mix, keeping local maxima above 0.3 that
    /// are the best within half a sentence either side, as (start in ms, r).
    /// </summary>
    private static List<(int StartMs, double R)> Occurrences(string sentenceWav, double[] mix)
    {
        var sentence = Envelope(sentenceWav);
        int n = sentence.Length;
        var r = new double[Math.Max(0, mix.Length - n + 1)];
        for (int k = 0; k < r.Length; k++) r[k] = AudioCompare.NormalizedCrossCorrelation(sentence, mix.AsSpan(k, n), 0).Correlation;
        var found = new List<(int, double)>();
        for (int k = 0; k < r.Length; k++)
        {
            if (r[k] <= 0.3) continue;
            int from = Math.Max(0, k - n / 2), to = Math.Min(r.Length, k + n / 2 + 1);
            bool best = true;
            for (int j = from; j < to && best; j++) best = r[j] < r[k] || (r[j] == r[k] && j >= k);
            if (best) found.Add((k * 10, r[k]));
        }
        return found;
    }

    private static string Describe(List<(int StartMs, double R)> found) =>
        found.Count == 0 ? "none" : string.Join(" ", found.Select(f => $"({f.StartMs}, {f.R:F2})"));

    /// <summary>The phone participant's track among a page's recordings (the bridge publishes as "Phone ••••1234").</summary>
    private static ReceivedAudioRecording PhoneTrack(IReadOnlyList<ReceivedAudioRecording> recordings) =>
        Assert.Single(recordings, r => r.Display?.StartsWith("Phone", StringComparison.Ordinal) == true);

    [Fact]
    public Task BaresipDialingAnE2eeRoomHearsTheRefusalAndIsHungUp() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync(requireE2ee: true);
        string folder = TestEnvironment.NewFolder("pstn-e2ee");
        string phoneWav = await PhoneSpeechAsync(folder, "Hello, is anybody there?", 1, 6);
        string conferenceId = room.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var bridge = new BridgeHarness(connector: Connector(), conferenceId: conferenceId);
        await bridge.StartAsync();
        var phone = baresip.Start(new BaresipOptions
        {
            Name = "e2ee-caller",
            User = "+15550001234",
            AudioSourceWav = phoneWav,
            Dial = $"sip:{BridgeHarness.OpenNumber}@{bridge.Runtime.LocalEndPoint}",
            RunFor = TimeSpan.FromSeconds(20),
            SipTrace = true,
        });
        var call = await WaitForCallAsync(bridge);
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((GatewayRunState.Failed, ReasonCodes.RoomPolicy), (outcome.FinalState, outcome.ReasonCode));
        await phone.WaitForExitAsync(TimeSpan.FromSeconds(30));

        string heard = Assert.Single(phone.ReceivedRecordings);
        var prompt = PromptLibrary.Default[PhonePrompt.E2eeRefused].ToArray().Select(s => s / 32768f).ToArray();
        var promptEnvelope = AudioCompare.EnergyEnvelope(prompt, 8000);
        var heardEnvelope = Envelope(heard);
        var (score, lag) = AudioCompare.NormalizedCrossCorrelation(promptEnvelope, heardEnvelope, heardEnvelope.Length);
        output.WriteLine($"phone heard {WavAudio.Read(heard).DurationSeconds:F1} s; refusal prompt correlation {score:F2} at lag {lag * 10} ms");
        Assert.True(score > 0.8, $"refusal prompt in baresip's recording: r={score:F2}");
        Assert.Empty(bridge.Conference.Sessions);
        var entry = Assert.Single(bridge.Audit.Query(conferenceId));
        Assert.Equal((CapabilityOutcome.Refuse, ReasonCodes.RoomPolicy), (entry.Outcome, entry.ReasonCode));
        // The call ended with the bridge's BYE carrying the Reason: baresip's SIP trace shows the BYE it received.
        string log = File.ReadAllText(phone.LogPaths.Single());
        int bye = log.IndexOf("BYE sip:", StringComparison.Ordinal);
        Assert.True(bye >= 0, "no BYE in baresip's SIP trace");
        int byeEnd = log.IndexOf("\r\n\r\n", bye, StringComparison.Ordinal);
        string byeMessage = log[bye..(byeEnd < 0 ? log.Length : byeEnd)];
        output.WriteLine("BYE received by baresip:\n" + byeMessage);
        Assert.Contains("Reason: SIP;cause=603;text=\"e2ee.room_policy\"", byeMessage, StringComparison.Ordinal);
        Assert.Contains("session closed", log, StringComparison.Ordinal);
    }, janus, baresip);

    private static async Task<DialInCall> WaitForCallAsync(BridgeHarness bridge)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (bridge.Calls.Count == 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("baresip's INVITE did not reach the bridge");
            await Task.Delay(50);
        }
        return bridge.Calls[0];
    }
}
