using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callbridge.Conference.Janus;
using Callbridge.Ffmpeg;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Leave;
using Callbridge.Storage.Local;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Callbridge.WebRtc.Tests;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>
/// The recording gateway in a real Janus room with real Chromium publishers (fake camera and microphone
/// from files), checked with ffprobe and ffmpeg. Needs scripts/test-in-netns.sh.
/// </summary>
[Collection(RealMediaCollection.Name)]
public sealed class JanusRecordingTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly FfprobeRunner _ffprobe = new();

    public void Dispose() => _http.Dispose();

    private sealed record Setup(string Folder, LocalFolderBlobSink Sink, InMemoryDecisionAuditLog Audit, RecordingGatewayFactory Factory, RecordingObserver Observer, string SpoolFolder);

    private Setup NewSetup(string name)
    {
        string folder = TestEnvironment.NewFolder(name);
        var sink = new LocalFolderBlobSink(Path.Combine(folder, "blobs"));
        var audit = new InMemoryDecisionAuditLog();
        var connector = new JanusConferenceConnector(_http, new JanusConferenceOptions
        {
            JanusUri = janus.HttpUri,
            IceInterfaces = [TestEnvironment.TestInterface],
            IceAddresses = [TestEnvironment.TestIp],
            EnableIPv6 = false,
        });
        var options = new RecordingOptions
        {
            SpoolFolder = Path.Combine(folder, "spool"),
            UploadInterval = TimeSpan.FromSeconds(1),
            UploadBlockSize = 64 * 1024,
            CompositeWidth = 640,
            CompositeHeight = 480,
            KeepSpool = true,
        };
        return new Setup(folder, sink, audit, new RecordingGatewayFactory(connector, sink, Options.Create(options), audit), new RecordingObserver(), options.SpoolFolder);
    }

    private async Task<string> DownloadAsync(Setup s, string blob)
    {
        string path = Path.Combine(s.Folder, "downloads", blob.Replace('/', '_'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, (await s.Sink.GetAsync(blob, default))!);
        return path;
    }

    [Fact]
    public Task Three_chromium_participants_one_late_one_leaving_early_are_recorded_per_participant_and_in_a_composite() => FailureLogs.RunAsync(output, async () =>
    {
        Setup s = NewSetup("rec-janus");
        string[] sentences =
        [
            "The quick brown fox jumps over the lazy dog. Callbridge audio check, one two three.",
            "Seven silver swans swim slowly, while a green parrot sings at noon.",
            "Please record this meeting about the budget for the next quarter, thank you.",
        ];
        FliteVoice[] voices = [FliteVoice.Slt, FliteVoice.Awb, FliteVoice.Slt];
        var wavs = new string[3];
        for (int i = 0; i < 3; i++) wavs[i] = await SpeechSynth.WriteWavAsync(sentences[i], voices[i], SpeechSynth.WebRtcRate, s.Folder, $"p{i}.wav");
        string clip = await TestVideo.WriteY4mAsync(s.Folder);
        long room = await janus.CreateRoomAsync();
        s.Audit.Append(DecisionAuditEntry.For(DateTimeOffset.UtcNow, room.ToString(CultureInfo.InvariantCulture), "rec-1", AuditEvent.Decision,
            GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin), ConferenceE2eeState.Clear, TenantPolicy.Open,
            CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin), ConferenceE2eeState.Clear, TenantPolicy.Open)));

        Task<BrowserParticipant> LaunchAsync(int i, string name) =>
            browser.LaunchParticipantAsync(new ParticipantOptions { Name = name, FakeAudioWav = wavs[i], FakeVideoY4m = clip });
        async Task<string> JoinAsync(BrowserParticipant page, string name)
        {
            ParticipantJoinResult joined = await page.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = name, PublishAudio = true, PublishVideo = true });
            Assert.True(joined.Ok, joined.Error);
            return joined.Id.ToString(CultureInfo.InvariantCulture);
        }

        BrowserParticipant alice = await LaunchAsync(0, "Alice"), bob = await LaunchAsync(1, "Bob"), carol = await LaunchAsync(2, "Carol");
        string aliceId = await JoinAsync(alice, "Alice");
        string carolId = await JoinAsync(carol, "Carol");
        // The test's clock starts as the recorder is asked to start; the recording's time zero is its first frame,
        // somewhere while StartAsync runs (checked below), and every expectation is taken from there.
        DateTimeOffset clockStartedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        IGateway gateway = await s.Factory.StartAsync(new GatewayLaunch("acme", room.ToString(CultureInfo.InvariantCulture), "rec-1", null, s.Observer), default);
        TimeSpan started = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(8));
        string bobId = await JoinAsync(bob, "Bob");
        TimeSpan bobJoining = clock.Elapsed; // Bob's publish request is answered; ICE and DTLS are still to come
        // Bob's media exists from his first sent packet, as Chromium's stats tell it.
        DateTimeOffset? bobFirstPacket = null;
        while (bobFirstPacket is null)
        {
            if (clock.Elapsed - bobJoining > TimeSpan.FromSeconds(10)) Assert.Fail($"Bob never sent a packet: {await bob.GetStatsAsync()}");
            await Task.Delay(100);
            bobFirstPacket = await bob.GetFirstAudioPacketSentAtAsync();
        }
        // Chromium's stats say when: their time less 20 ms per later packet. A sender that caught up on queued
        // audio in a burst (a loaded machine) reads as having started before its publish was even answered, so the
        // estimate is held between what the test's own clock knows: not before the answer, not after the poll
        // that first saw a packet.
        TimeSpan bobReported = bobFirstPacket.Value - clockStartedAt;
        TimeSpan bobSeenSending = clock.Elapsed;
        TimeSpan bobSending = bobReported < bobJoining ? bobJoining : bobReported > bobSeenSending ? bobSeenSending : bobReported;
        await Task.Delay(TimeSpan.FromSeconds(12));
        TimeSpan carolLeaving = clock.Elapsed;
        await carol.LeaveAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        TimeSpan stopping = clock.Elapsed;
        GatewayOutcome outcome = await gateway.StopAsync(default).WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"bob joining at {bobJoining.TotalSeconds:F2} s, sending at {bobSending.TotalSeconds:F2} s (Chromium's stats: {bobReported.TotalSeconds:F2} s), carol leaving at {carolLeaving.TotalSeconds:F2} s, stop at {stopping.TotalSeconds:F2} s; {outcome.Summary}");
        output.WriteLine($"alice {aliceId}, bob {bobId}, carol {carolId}; placement terms:{Environment.NewLine}{((RecordingGateway)gateway).DescribeTimingForTests()}");
        await alice.DisposeAsync();
        await bob.DisposeAsync();
        await carol.DisposeAsync();

        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        string prefix = $"acme/{room}/rec-1";
        Assert.Equal(6, outcome.Outputs.Count(o => o.Contains("/tracks/", StringComparison.Ordinal)));
        JsonElement manifest = JsonDocument.Parse((await s.Sink.GetAsync(prefix + "/manifest.json", default))!).RootElement;
        output.WriteLine(manifest.ToString());
        var tracks = manifest.GetProperty("tracks").EnumerateArray().ToList();
        double zero = (manifest.GetProperty("started_at").GetDateTimeOffset() - clockStartedAt).TotalSeconds;
        output.WriteLine($"recording time zero at {zero:F2} s on the test's clock; StartAsync returned at {started.TotalSeconds:F2} s");
        // Its first frame comes after it was asked to start, and soon after the media path is up: Alice and
        // Carol are sending already (1.1 s after on this machine at a load average of 90).
        Assert.InRange(zero, 0, started.TotalSeconds + 3);
        double Start(string id, string kind) => tracks.Single(t => t.GetProperty("participant_id").GetString() == id && t.GetProperty("kind").GetString() == kind).GetProperty("start_seconds").GetDouble();
        double End(string id, string kind) => tracks.Single(t => t.GetProperty("participant_id").GetString() == id && t.GetProperty("kind").GetString() == kind).GetProperty("end_seconds").GetDouble();

        // What each participant's file should span, from the test's own clock.
        var expected = new Dictionary<string, double>
        {
            [aliceId] = stopping.TotalSeconds - zero,
            [carolId] = carolLeaving.TotalSeconds - zero,
            [bobId] = (stopping - bobSending).TotalSeconds,
        };
        var spans = new List<(string Id, double File, double Audio, double Expected)>();
        foreach (var (id, wav, seconds) in new[] { (aliceId, wavs[0], expected[aliceId]), (bobId, wavs[1], expected[bobId]), (carolId, wavs[2], expected[carolId]) })
        {
            string file = await DownloadAsync(s, $"{prefix}/participants/participant-{id}.webm");
            MediaProbe probe = await _ffprobe.ProbeAsync(file);
            Assert.Equal("opus", Assert.Single(probe.Audio).Codec);
            Assert.Equal("vp8", Assert.Single(probe.Video).Codec);
            double audioSpan = End(id, "audio") - Start(id, "audio");
            output.WriteLine($"{id}: file {probe.Duration?.TotalSeconds:F2} s, audio {Start(id, "audio"):F2}-{End(id, "audio"):F2}, video {Start(id, "video"):F2}-{End(id, "video"):F2}, "
                + $"expected {seconds:F2} s: file {probe.Duration!.Value.TotalSeconds - seconds:+0.00;-0.00} s, audio {audioSpan - seconds:+0.00;-0.00} s");
            spans.Add((id, probe.Duration!.Value.TotalSeconds, audioSpan, seconds));

            double correlation = await CorrelationAsync(file, wav, s.Folder);
            double other = await CorrelationAsync(file, wavs.First(w => w != wav), s.Folder);
            output.WriteLine($"{id}: envelope correlation {correlation:F3} with its source, {other:F3} with another");
            Assert.True(correlation >= 0.8, $"{id}: correlation {correlation:F3}");
            Assert.True(correlation > other + 0.1, $"{id}: own {correlation:F3} vs other {other:F3}");
        }
        output.WriteLine($"bob: audio starts at {Start(bobId, "audio"):F2} s in the recording; publish answered at {bobJoining.TotalSeconds - zero:F2} s, first packet sent by {bobSending.TotalSeconds - zero:F2} s; "
            + $"carol: audio ends at {End(carolId, "audio"):F2} s, left at {carolLeaving.TotalSeconds - zero:F2} s");
        // The issue's bound: every participant's file and track span within 0.5 s of what it was on the test's clock.
        foreach (var (id, fileSeconds, audioSpan, seconds) in spans)
        {
            Assert.InRange(fileSeconds, seconds - 0.5, seconds + 0.5);
            Assert.InRange(audioSpan, seconds - 0.5, seconds + 0.5);
        }
        Assert.Equal(bobSending.TotalSeconds - zero, Start(bobId, "audio"), 0.5);
        Assert.Equal(carolLeaving.TotalSeconds - zero, End(carolId, "audio"), 0.5);

        MediaProbe composite = await _ffprobe.ProbeAsync(await DownloadAsync(s, prefix + "/composite.webm"));
        Assert.Equal(("vp8", 640, 480), (Assert.Single(composite.Video).Codec, composite.Video.Single().Width, composite.Video.Single().Height));
        Assert.Equal("opus", Assert.Single(composite.Audio).Codec);
        output.WriteLine($"composite {composite.Duration?.TotalSeconds:F2} s, expected {stopping.TotalSeconds - zero:F2} s");
        Assert.InRange(composite.Duration!.Value.TotalSeconds, stopping.TotalSeconds - zero - 0.5, stopping.TotalSeconds - zero + 0.5);

        Assert.Equal(3, manifest.GetProperty("participants").GetArrayLength());
        Assert.Single(manifest.GetProperty("decisions").EnumerateArray());
        JsonElement carolEntry = manifest.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("participant_id").GetString() == carolId);
        Assert.Contains(carolEntry.GetProperty("presence").EnumerateArray(), p => p.GetProperty("event").GetString() == "left");
        Assert.True(tracks.All(t => t.GetProperty("counters").GetProperty("encrypted_frames_dropped").GetInt64() == 0));
    }, janus, browser);

    [Fact]
    public Task A_chromium_beep_and_flash_stays_in_sync_within_80_ms_in_the_participant_file_and_the_composite() => FailureLogs.RunAsync(output, async () =>
    {
        Setup s = NewSetup("rec-sync");
        long room = await janus.CreateRoomAsync();
        IGateway gateway = await s.Factory.StartAsync(new GatewayLaunch("acme", room.ToString(CultureInfo.InvariantCulture), "rec-1", null, s.Observer), default);
        // The camera and microphone are made in the page on one clock (Chromium's fake devices loop a WAV and
        // a Y4M on separate clocks and drift 35-100 ms on their own): a beep and a white frame at the same
        // instants, twice every 4 s.
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice" });
        ParticipantJoinResult joined = await alice.JoinAsync(new ParticipantJoinOptions
        {
            Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true,
            BeepFlash = new ParticipantBeepFlash { PeriodMs = 4000, MarksMs = [1000, 2500] },
        });
        Assert.True(joined.Ok, joined.Error);
        // 10 s of recorded media from when both of Alice's tracks reach the files (slow to come on a loaded machine).
        var waiting = Stopwatch.StartNew();
        while (((RecordingGateway)gateway).TracksRecordingForTests < 2)
        {
            if (waiting.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail($"Alice's tracks never reached the recorder: {((RecordingGateway)gateway).DescribeForTests()}");
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(10));
        GatewayOutcome outcome = await gateway.StopAsync(default).WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"placement terms:{Environment.NewLine}{((RecordingGateway)gateway).DescribeTimingForTests()}");
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        // The sender's own skew, mark by mark: how late the page's timer drew each flash frame after the instant
        // its beep starts (a loaded machine delays the timer, never the audio, which is scheduled ahead).
        using JsonDocument pageMarks = JsonDocument.Parse(await alice.Page.EvaluateAsync<string>("() => JSON.stringify(window.cb.beepFlash.marks)"));
        var marks = pageMarks.RootElement.EnumerateArray()
            .Select(m => (At: DateTimeOffset.FromUnixTimeMilliseconds((long)m.GetProperty("at").GetDouble()), LateMs: m.GetProperty("lateMs").GetDouble())).ToList();
        output.WriteLine($"page: flash frames drawn late by (ms): {string.Join(", ", marks.Select(m => m.LateMs.ToString("F1", CultureInfo.InvariantCulture)))}");
        // Chromium's own send path, from its stats: encode and pacer time per frame and packet, by kind.
        output.WriteLine("chromium send stats: " + await alice.Page.EvaluateAsync<string>(SendPathStatsScript));

        string prefix = $"acme/{room}/rec-1";
        string id = joined.Id.ToString(CultureInfo.InvariantCulture);
        JsonElement manifest = JsonDocument.Parse((await s.Sink.GetAsync(prefix + "/manifest.json", default))!).RootElement;
        DateTimeOffset zero = manifest.GetProperty("started_at").GetDateTimeOffset();
        double participantStart = manifest.GetProperty("tracks").EnumerateArray().Min(t => t.GetProperty("start_seconds").GetDouble());
        foreach (var (blob, fileZero) in new[] { ($"{prefix}/participants/participant-{id}.webm", zero.AddSeconds(participantStart)), ($"{prefix}/composite.webm", zero) })
        {
            string file = await DownloadAsync(s, blob);
            IReadOnlyList<TimeSpan> beeps = await BeepFlash.AudioOnsetsAsync(file, s.Folder);
            IReadOnlyList<TimeSpan> flashes = await BeepFlash.FlashOnsetsAsync(file, s.Folder);
            // Each beep's page mark, found by wall-clock time (marks are 1.5 s apart or more; the path adds far less).
            var pairs = beeps.Select(b =>
            {
                double offset = flashes.Select(f => (f - b).TotalMilliseconds).MinBy(Math.Abs);
                var mark = marks.MinBy(m => Math.Abs((m.At - (fileZero + b)).TotalMilliseconds));
                Assert.True(Math.Abs((mark.At - (fileZero + b)).TotalMilliseconds) < 750, $"no page mark near the beep at {b.TotalSeconds:F2} s of {blob}");
                return (Offset: offset, Sender: mark.LateMs, Recorder: offset - mark.LateMs);
            }).ToList();
            output.WriteLine($"{blob}: {beeps.Count} beeps, {flashes.Count} flashes; flash - beep (ms): {string.Join(", ", pairs.Select(p => p.Offset.ToString("F0", CultureInfo.InvariantCulture)))}; "
                + $"less the sender's own: {string.Join(", ", pairs.Select(p => p.Recorder.ToString("F0", CultureInfo.InvariantCulture)))}");
            // About 10 s with two marks every 4 s: at least 4 pairs. The first may be cut by the start of the
            // media path (the first key frame), so it is not held to the bound.
            Assert.True(beeps.Count >= 4, $"{beeps.Count} beeps");
            Assert.True(flashes.Count >= 4, $"{flashes.Count} flashes");
            // The issue's bound. The SFU's sender reports are its own (the send time of its last forwarded packet), so
            // a report taken from a late packet maps a whole track late; placement by the earliest mapping and the
            // least-delayed arrival (TrackClock) removes that share of the skew.
            // One line that names the file and every figure: a run's summary shows only an assertion's first line.
            Assert.True(pairs.Skip(1).All(p => Math.Abs(p.Recorder) <= 80),
                $"{blob}: flash - beep less the sender's own (ms), the first not held to the bound: "
                + string.Join(", ", pairs.Select(p => p.Recorder.ToString("F0", CultureInfo.InvariantCulture))));
        }
    }, janus, browser);

    [Fact]
    public Task A_publisher_turning_on_its_e2ee_transform_mid_call_never_gets_a_ciphertext_frame_into_any_file() => FailureLogs.RunAsync(output, async () =>
    {
        const string KeyHex = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
        const int KeySlot = 3;
        Setup s = NewSetup("rec-e2ee");
        string wav = await SpeechSynth.WriteWavAsync("The quick brown fox jumps over the lazy dog.", FliteVoice.Slt, SpeechSynth.WebRtcRate, s.Folder);
        string clip = await TestVideo.WriteY4mAsync(s.Folder);
        // The project's JFrame transform under /files/, switched by the toggle worker: Alice's one publication
        // runs clear, then turns its E2EE transform on mid-call (same senders, same SSRCs).
        ParticipantE2eeOptions jframeKeys = await JFrameBrowserTransform.ServeAsync(browser, KeyHex, KeySlot);
        var e2ee = new ParticipantE2eeOptions { Module = ParticipantE2eeOptions.JFrameToggleWorker, Options = jframeKeys.Options };
        long room = await janus.CreateRoomAsync();
        string conference = room.ToString(CultureInfo.InvariantCulture);
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = wav, FakeVideoY4m = clip });
        ParticipantJoinResult joined = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true, E2ee = e2ee });
        Assert.True(joined.Ok, joined.Error);
        var negotiator = new CapabilityNegotiator(s.Audit, TimeProvider.System);
        Assert.Equal(CapabilityOutcome.Allow, negotiator.Decide(conference, "rec-1", GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin), ConferenceE2eeState.Clear, TenantPolicy.Open).Outcome);
        IGateway gateway = await s.Factory.StartAsync(new GatewayLaunch("acme", conference, "rec-1", null, s.Observer), default);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Empty(s.Observer.Encrypted);

        await alice.SetE2eeTransformAsync(enabled: true);
        var clock = Stopwatch.StartNew();
        while (s.Observer.Encrypted.IsEmpty)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"the detector never reported Alice's encrypted track; page: {await alice.GetStatsAsync()}; gateway: {((RecordingGateway)gateway).DescribeForTests()}");
            await Task.Delay(50);
        }
        long firstEncryptedMs = await alice.Page.EvaluateAsync<long>("() => window.cb.transformedFrames['first-encrypted'] || 0");
        Assert.True(firstEncryptedMs > 0, "the page never reported its first encrypted frame");
        output.WriteLine($"encrypted media reported {clock.ElapsedMilliseconds} ms after the transform was switched on "
            + $"({(DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(firstEncryptedMs)).TotalMilliseconds:F0} ms ago the first encrypted frame left): {string.Join(", ", s.Observer.Encrypted)}");

        // The host's part: the negotiator orders the recording to leave.
        CapabilityDecision leave = negotiator.Decide(conference, "rec-1", GatewayRequest.For(GatewayKind.Recording, GatewayPhase.Running),
            ConferenceE2eeState.Clear with { EncryptedTracksObserved = s.Observer.Encrypted.Count }, TenantPolicy.Open);
        LeaveConfirmation confirmation = await gateway.LeaveNowAsync(
            new LeaveNowOrder(conference, "rec-1", GatewayKind.Recording, leave, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10)), default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReasonCodes.FramesObserved, confirmation.ReasonCode);
        GatewayOutcome outcome = await gateway.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal((GatewayRunState.LeftForE2ee, ReasonCodes.FramesObserved), (outcome.FinalState, outcome.ReasonCode));
        // The gateway left the room: only Alice is in it.
        var left = Stopwatch.StartNew();
        while ((await janus.Rooms.ListParticipantsAsync(room)).Count != 1)
        {
            if (left.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail("the recorder is still in the room after leaving for E2EE");
            await Task.Delay(100);
        }

        // Every frame in every track file: none authenticates as JFrame under Alice's key, and the clear ones decode.
        using var jframe = new JFrameContext();
        jframe.SetKey(Convert.FromHexString(KeyHex), KeySlot);
        string prefix = $"acme/{conference}/rec-1";
        JsonElement manifest = JsonDocument.Parse((await s.Sink.GetAsync(prefix + "/manifest.json", default))!).RootElement;
        Assert.Equal(ReasonCodes.FramesObserved, manifest.GetProperty("reason_code").GetString());
        Assert.Equal(2, manifest.GetProperty("decisions").GetArrayLength());
        // What came before is finalized and uploaded: Alice's file and the composite, both tracks in each.
        string id = joined.Id.ToString(CultureInfo.InvariantCulture);
        foreach (string blob in new[] { $"{prefix}/participants/participant-{id}.webm", $"{prefix}/composite.webm" })
        {
            Assert.Contains(blob, outcome.Outputs);
            MediaProbe probe = await _ffprobe.ProbeAsync(await DownloadAsync(s, blob));
            Assert.Equal(("opus", "vp8"), (Assert.Single(probe.Audio).Codec, Assert.Single(probe.Video).Codec));
            output.WriteLine($"{blob}: {probe.Duration?.TotalSeconds:F2} s");
            Assert.InRange(probe.Duration!.Value.TotalSeconds, 4.0, 30.0);
        }
        int checkedFrames = 0;
        foreach (JsonElement track in manifest.GetProperty("tracks").EnumerateArray())
        {
            string file = await DownloadAsync(s, track.GetProperty("file").GetString()!);
            bool video = track.GetProperty("kind").GetString() == "video";
            string raw = file + (video ? ".ivf" : ".ogg");
            await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", file, "-c", "copy", "-f", video ? "ivf" : "ogg", raw], TimeSpan.FromSeconds(60));
            List<byte[]> frames = video
                ? [.. MediaContainers.ReadIvfFrames(await File.ReadAllBytesAsync(raw)).Select(f => f.Data)]
                : MediaContainers.ReadOggPackets(await File.ReadAllBytesAsync(raw));
            Assert.Equal(track.GetProperty("frames").GetInt64(), frames.Count);
            Assert.True(frames.Count > 20, $"only {frames.Count} frames before the transform");
            var scratch = new byte[64 * 1024];
            foreach (byte[] frame in frames)
            {
                JFrameKind kind = !video ? JFrameKind.Audio : (frame[0] & 1) == 0 ? JFrameKind.VideoKey : JFrameKind.VideoDelta;
                Assert.False(jframe.Decrypt(kind, frame, scratch).Success, $"a JFrame ciphertext frame in {track.GetProperty("file").GetString()}");
                checkedFrames++;
            }
            // The clear frames decode without a decoder error (a null muxer's timestamp notes are not about the data).
            ProgramResult decode = await ProgramRunner.RunAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-v", "error", "-i", file, "-f", "null", "-"], TimeSpan.FromSeconds(60));
            Assert.Equal(0, decode.ExitCode);
            Assert.DoesNotContain("rror while decoding", decode.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Invalid data", decode.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("corrupt", decode.StandardError, StringComparison.OrdinalIgnoreCase);
            output.WriteLine($"{track.GetProperty("track_id").GetString()}: {frames.Count} frames, encrypted dropped {track.GetProperty("counters").GetProperty("encrypted_frames_dropped").GetInt64()}");
        }
        Assert.True(checkedFrames > 100, $"{checkedFrames} frames checked");
    }, janus, browser);

    /// <summary>The publisher's outbound-rtp and media-source figures that bear on A/V skew, per kind (ms per frame or packet).</summary>
    private const string SendPathStatsScript = """
        async () => {
          const out = {};
          (await window.cb.publisherPc.getStats()).forEach(s => {
            if (s.type === 'outbound-rtp') {
              out[s.kind] = {
                packets: s.packetsSent, frames: s.framesEncoded,
                encodeMsPerFrame: s.framesEncoded ? 1000 * s.totalEncodeTime / s.framesEncoded : null,
                pacerMsPerPacket: s.packetsSent ? 1000 * (s.totalPacketSendDelay || 0) / s.packetsSent : null,
                retransmitted: s.retransmittedPacketsSent,
              };
            } else if (s.type === 'media-source' && s.kind === 'audio') {
              out.audioSource = { totalSamplesDuration: s.totalSamplesDuration };
            }
          });
          out.audioContextBaseLatencyMs = 1000 * (window.cb.beepFlash.baseLatency || 0);
          return JSON.stringify(out);
        }
        """;

    /// <summary>Decodes a file's audio and correlates its 10 ms energy envelope with a WAV's, looped as Chromium loops it.</summary>
    private static async Task<double> CorrelationAsync(string file, string wav, string folder)
    {
        string raw = Path.Combine(folder, "decoded-" + Guid.NewGuid().ToString("N")[..8] + ".f32");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", file, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", raw], TimeSpan.FromSeconds(60));
        byte[] bytes = await File.ReadAllBytesAsync(raw);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        double[] recorded = AudioCompare.EnergyEnvelope(samples, 48000);
        double[] source = AudioCompare.EnergyEnvelope(WavAudio.Read(wav).Samples, 48000);
        int loops = recorded.Length / Math.Max(1, source.Length) + 2;
        var repeated = new double[source.Length * loops];
        for (int i = 0; i < loops; i++) source.CopyTo(repeated, i * source.Length);
        return AudioCompare.NormalizedCrossCorrelation(recorded, repeated, source.Length).Correlation;
    }
}
