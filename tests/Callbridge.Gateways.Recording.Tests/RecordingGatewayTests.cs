using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Ffmpeg;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>
/// The gateway on a scripted conference (the media core's frames are real Opus and VP8 from ffmpeg), with
/// the real local blob sink and the real ffmpeg/ffprobe making and checking the deliverables.
/// </summary>
public sealed class RecordingGatewayTests
{
    private static readonly DateTimeOffset AliceClock = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BobClock = new(2026, 11, 22, 7, 30, 12, TimeSpan.Zero); // another machine's clock
    private readonly FfprobeRunner _ffprobe = new();

    private static async Task<GatewayOutcome> StopAsync(IGateway gateway) =>
        await gateway.StopAsync(default).WaitAsync(TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Records_every_participant_late_joiner_included_into_tracks_participant_files_composite_and_manifest()
    {
        var (audio, video) = await Media.BeepFlashAsync();
        var h = new Harness();
        IGateway gateway = await h.StartAsync();
        Assert.Equal(GatewayRunState.Running, gateway.State);
        Assert.Equal(BotRole.Subscriber, h.Session.Request.Role);
        // A recording needs no frame at once: its subscription takes media in longer batches than a live consumer.
        Assert.Equal(TimeSpan.FromMilliseconds(20), h.Subscription.Request.ReceiveBatchInterval);

        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
        // A key frame is asked for as soon as the video track starts.
        await WaitUntilAsync(() => h.Subscription.KeyFrameRequests.Contains("alice/v"));
        foreach (EncodedFrame f in audio) h.Send("alice/a", f, TimeSpan.Zero, AliceClock, video: false);
        foreach (EncodedFrame f in video) h.Send("alice/v", f, TimeSpan.Zero, AliceClock, video: true);
        // Bob joins 2 s into the recording with audio only, and no sender report yet (the RTP clock places him).
        h.Session.Join("bob", "Bob", ("a", TrackKind.Audio, "opus"));
        foreach (EncodedFrame f in audio.Take(100)) h.Send("bob/a", f, TimeSpan.FromSeconds(2), senderBase: null, video: false, ssrc: 9);

        GatewayOutcome outcome = await StopAsync(gateway);
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Null(outcome.ReasonCode);
        // The seal put the track files on disk before spool.json called the recording sealed.
        Assert.True(h.Factory.SpoolSyncs >= 1, "no sync of the spool");
        string prefix = Harness.Prefix();
        Assert.Equal(
            [$"{prefix}/tracks/000-alice-audio.webm", $"{prefix}/tracks/001-alice-video.webm", $"{prefix}/tracks/002-bob-audio.webm",
             $"{prefix}/participants/participant-alice.webm", $"{prefix}/participants/participant-bob.webm", $"{prefix}/composite.webm", $"{prefix}/manifest.json"],
            outcome.Outputs);
        Assert.Equal([GatewayRunState.Running, GatewayRunState.Stopping, GatewayRunState.Stopped], h.Observer.States.Select(s => s.State));

        // Per-track files: the spool as written, with every frame and the right times.
        MediaProbe aliceVideo = await _ffprobe.ProbeAsync(await h.DownloadAsync($"{prefix}/tracks/001-alice-video.webm"));
        Assert.Equal(("vp8", 320, 240), (Assert.Single(aliceVideo.Video).Codec, aliceVideo.Video.Single().Width, aliceVideo.Video.Single().Height));

        // Participant files hold all of a participant's tracks, time zero at its first frame.
        MediaProbe alice = await _ffprobe.ProbeAsync(await h.DownloadAsync($"{prefix}/participants/participant-alice.webm"));
        Assert.Equal(("opus", "vp8"), (Assert.Single(alice.Audio).Codec, Assert.Single(alice.Video).Codec));
        Assert.Equal(Media.Seconds, alice.Duration!.Value.TotalSeconds, 0.5);
        MediaProbe bob = await _ffprobe.ProbeAsync(await h.DownloadAsync($"{prefix}/participants/participant-bob.webm"));
        Assert.Empty(bob.Video);
        Assert.Equal(2.0, bob.Duration!.Value.TotalSeconds, 0.5);

        // The composite: one audio mix, one video grid, as long as the recording.
        MediaProbe composite = await _ffprobe.ProbeAsync(await h.DownloadAsync($"{prefix}/composite.webm"));
        Assert.Equal(("vp8", 640, 240), (Assert.Single(composite.Video).Codec, composite.Video.Single().Width, composite.Video.Single().Height));
        Assert.Equal("opus", Assert.Single(composite.Audio).Codec);
        Assert.Equal(Media.Seconds, composite.Duration!.Value.TotalSeconds, 0.5);

        JsonElement manifest = await h.ManifestAsync();
        Assert.Equal("callbridge.recording/1", manifest.GetProperty("schema").GetString());
        Assert.Equal((Harness.ConferenceId, "acme", "stopped", false),
            (manifest.GetProperty("conference_id").GetString(), manifest.GetProperty("tenant_id").GetString(),
             manifest.GetProperty("end_reason").GetString(), manifest.GetProperty("recovered").GetBoolean()));
        var tracks = manifest.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("track_id").GetString()!);
        Assert.Equal(audio.Count, tracks["alice/a"].GetProperty("frames").GetInt64());
        Assert.Equal(video.Count, tracks["alice/v"].GetProperty("frames").GetInt64());
        // Times are from the recording's start; the harness sends its first frame a few ms after it.
        double aliceStart = tracks["alice/a"].GetProperty("start_seconds").GetDouble();
        Assert.InRange(aliceStart, 0, 0.2);
        Assert.Equal(aliceStart, tracks["alice/v"].GetProperty("start_seconds").GetDouble(), 0.002);
        Assert.Equal(2.0, tracks["bob/a"].GetProperty("start_seconds").GetDouble() - aliceStart, 0.05);
        Assert.Equal(2.0, tracks["bob/a"].GetProperty("end_seconds").GetDouble() - tracks["bob/a"].GetProperty("start_seconds").GetDouble(), 0.002);
        Assert.Equal(0, tracks["alice/v"].GetProperty("counters").GetProperty("encrypted_frames_dropped").GetInt64());
        var participants = manifest.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("participant_id").GetString()!);
        Assert.Equal(("Alice", "Bob"), (participants["alice"].GetProperty("display_name").GetString(), participants["bob"].GetProperty("display_name").GetString()));
        Assert.Equal(2.0, participants["bob"].GetProperty("offset_seconds").GetDouble() - participants["alice"].GetProperty("offset_seconds").GetDouble(), 0.05);
        JsonElement decision = Assert.Single(manifest.GetProperty("decisions").EnumerateArray());
        Assert.Equal(("Recording", "Allow", "ok"), (decision.GetProperty("kind").GetString(), decision.GetProperty("outcome").GetString(), decision.GetProperty("reason_code").GetString()));
        Assert.Equal($"{prefix}/composite.webm", manifest.GetProperty("composite").GetString());
        Assert.Empty(manifest.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task Sender_reports_keep_audio_and_video_in_sync_in_the_composite_though_video_arrives_later()
    {
        var (audio, video) = await Media.BeepFlashAsync();
        var h = new Harness();
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
        TimeSpan joinedAt = TimeSpan.FromSeconds(1);
        // Video frames reach the recorder 150 ms after the audio of the same instant (bigger frames, a jitter
        // buffer): only the sender's clock can line them up again.
        foreach (EncodedFrame f in audio) h.Send("alice/a", f, joinedAt, AliceClock, video: false);
        foreach (EncodedFrame f in video) h.Send("alice/v", f, joinedAt + TimeSpan.FromMilliseconds(150), AliceClock, video: true);
        await StopAsync(gateway);

        string composite = await h.DownloadAsync(Harness.Prefix() + "/composite.webm");
        IReadOnlyList<TimeSpan> beeps = await BeepFlash.AudioOnsetsAsync(composite, h.Root);
        IReadOnlyList<TimeSpan> flashes = await BeepFlash.FlashOnsetsAsync(composite, h.Root, (0, 0, 320, 240));
        Assert.Equal(Media.Marks.Length, beeps.Count);
        Assert.Equal(Media.Marks.Length, flashes.Count);
        for (int i = 0; i < beeps.Count; i++)
        {
            // Time zero is the first frame (Alice's, at 1 s): the recording holds no empty lead-in.
            Assert.InRange(Math.Abs((beeps[i] - Media.Marks[i]).TotalMilliseconds), 0, 80);
            Assert.InRange(Math.Abs((flashes[i] - beeps[i]).TotalMilliseconds), 0, 80);
        }
    }

    [Fact]
    public async Task Two_senders_with_different_clocks_are_aligned_by_arrival_and_each_keeps_its_own_sync()
    {
        var (audio, video) = await Media.BeepFlashAsync();
        var h = new Harness();
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
        h.Session.Join("bob", "Bob", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
        foreach (EncodedFrame f in video) h.Send("alice/v", f, TimeSpan.Zero, AliceClock, video: true);
        foreach (EncodedFrame f in audio) h.Send("alice/a", f, TimeSpan.Zero, AliceClock, video: false);
        // Bob's clock is 1.5 h behind Alice's and he starts 0.5 s later.
        foreach (EncodedFrame f in audio) h.Send("bob/a", f, TimeSpan.FromSeconds(0.5), BobClock, video: false, ssrc: 21);
        foreach (EncodedFrame f in video) h.Send("bob/v", f, TimeSpan.FromSeconds(0.5), BobClock, video: true, ssrc: 22);
        await StopAsync(gateway);

        JsonElement manifest = await h.ManifestAsync();
        var tracks = manifest.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("track_id").GetString()!, t => t.GetProperty("start_seconds").GetDouble());
        // Each sender's tracks start together (its own clock), and Bob half a second after Alice (arrival).
        Assert.Equal(tracks["alice/v"], tracks["alice/a"], 0.002);
        Assert.Equal(tracks["bob/a"], tracks["bob/v"], 0.002);
        Assert.Equal(0.5, tracks["bob/a"] - tracks["alice/a"], 0.03);
        Assert.InRange(tracks["alice/a"], 0, 0.2);
    }

    [Fact]
    public async Task Encrypted_frames_are_never_written_and_the_detector_verdict_stops_intake_and_tells_the_host()
    {
        var (audio, _) = await Media.BeepFlashAsync();
        var h = new Harness();
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"));
        byte[] ciphertext = [.. "JFRAME-CIPHERTEXT-MARKER"u8, .. new byte[40]];
        for (int i = 0; i < 50; i++) h.Send("alice/a", audio[i], TimeSpan.Zero, AliceClock, video: false);
        // The classifier marks these frames from the second on (a JFrame trailer shows itself by repeating the
        // previous frame's IV): dropped though they arrive before the track verdict, the first one with them.
        for (int i = 50; i < 60; i++) h.Send("alice/a", audio[i] with { Data = ciphertext }, TimeSpan.Zero, AliceClock, video: false, encrypted: i > 50);
        h.Session.MarkEncrypted("alice/a", "jframe");
        Assert.Equal(("alice", "alice/a", "jframe"), Assert.Single(h.Observer.Encrypted));
        // After the verdict nothing is taken, even frames the classifier let through.
        for (int i = 60; i < 100; i++) h.Send("alice/a", audio[i] with { Data = ciphertext }, TimeSpan.Zero, AliceClock, video: false);

        // The host's leave-now order, as the negotiator words it.
        CapabilityDecision decision = h.Negotiator.Decide(Harness.ConferenceId, "rec-1", GatewayRequest.For(GatewayKind.Recording, GatewayPhase.Running),
            ConferenceE2eeState.Clear with { EncryptedTracksObserved = 1 }, TenantPolicy.Open);
        Assert.Equal((CapabilityOutcome.LeaveNow, ReasonCodes.FramesObserved), (decision.Outcome, decision.ReasonCode));
        var order = new LeaveNowOrder(Harness.ConferenceId, "rec-1", GatewayKind.Recording, decision, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10));
        LeaveConfirmation confirmation = await gateway.LeaveNowAsync(order, default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((ReasonCodes.FramesObserved, true, "recording manifest"), (confirmation.ReasonCode, confirmation.FinalizedPriorOutput, confirmation.ReasonRecordedIn));

        GatewayOutcome outcome = await gateway.Completion.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal((GatewayRunState.LeftForE2ee, ReasonCodes.FramesObserved), (outcome.FinalState, outcome.ReasonCode));
        JsonElement manifest = await h.ManifestAsync();
        Assert.Equal(("left-for-e2ee", ReasonCodes.FramesObserved), (manifest.GetProperty("end_reason").GetString(), manifest.GetProperty("reason_code").GetString()));
        JsonElement encrypted = Assert.Single(manifest.GetProperty("encrypted_media").EnumerateArray());
        Assert.Equal("jframe", encrypted.GetProperty("format").GetString());
        JsonElement track = Assert.Single(manifest.GetProperty("tracks").EnumerateArray());
        Assert.Equal(50, track.GetProperty("frames").GetInt64());
        Assert.Equal(10, track.GetProperty("counters").GetProperty("encrypted_frames_dropped").GetInt64());
        // Both decisions, join and leave, are in the manifest.
        Assert.Equal(2, manifest.GetProperty("decisions").GetArrayLength());
        // Not one byte of ciphertext in any deliverable.
        foreach (string blob in outcome.Outputs)
        {
            byte[] content = (await h.Sink.GetAsync(blob, default))!;
            Assert.True(content.AsSpan().IndexOf("JFRAME-CIPHERTEXT-MARKER"u8) < 0, blob);
        }
        Assert.True(h.Session.HasLeft);
    }

    [Fact]
    public async Task Leave_now_stops_intake_at_once_and_keeps_everything_before_it()
    {
        var (audio, _) = await Media.BeepFlashAsync();
        var h = new Harness(configure: o => o.Composite = false);
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"));
        for (int i = 0; i < 120; i++) h.Send("alice/a", audio[i], TimeSpan.Zero, AliceClock, video: false);
        h.Session.SetPolicy(requiresE2ee: true);
        await WaitUntilAsync(() => h.Observer.Policies.Contains(true));
        // The room turned E2EE: frames after that are not taken (they would be ciphertext).
        for (int i = 120; i < 200; i++) h.Send("alice/a", audio[i], TimeSpan.Zero, AliceClock, video: false);
        var decision = new CapabilityDecision(CapabilityOutcome.LeaveNow, ReasonCodes.EnabledMidCall, "E2EE was turned on.", null, null);
        await gateway.LeaveNowAsync(new LeaveNowOrder(Harness.ConferenceId, "rec-1", GatewayKind.Recording, decision, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(10)), default);
        GatewayOutcome outcome = await gateway.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(GatewayRunState.LeftForE2ee, outcome.FinalState);
        JsonElement manifest = await h.ManifestAsync();
        // The last frame before an end for E2EE is dropped: it could be the first ciphertext frame, which shows
        // itself only by the next one.
        Assert.Equal(119, Assert.Single(manifest.GetProperty("tracks").EnumerateArray()).GetProperty("frames").GetInt64());
        Assert.Equal(ReasonCodes.EnabledMidCall, manifest.GetProperty("reason_code").GetString());
        Assert.Null(manifest.GetProperty("composite").GetString());
    }

    [Fact]
    public async Task A_silence_is_a_gap_in_the_manifest_and_not_stretched_in_the_file()
    {
        var (audio, _) = await Media.BeepFlashAsync();
        var h = new Harness(configure: o => o.Composite = false);
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"));
        // 0-1 s, then muted until 3 s, then 3-4 s.
        foreach (EncodedFrame f in audio.Where(f => f.Time < TimeSpan.FromSeconds(1) || (f.Time >= TimeSpan.FromSeconds(3) && f.Time < TimeSpan.FromSeconds(4))))
            h.Send("alice/a", f, TimeSpan.Zero, AliceClock, video: false);
        await StopAsync(gateway);
        JsonElement track = Assert.Single((await h.ManifestAsync()).GetProperty("tracks").EnumerateArray());
        Assert.Equal(100, track.GetProperty("frames").GetInt64());
        JsonElement gap = Assert.Single(track.GetProperty("counters").GetProperty("gaps").EnumerateArray());
        double from = gap.GetProperty("from_seconds").GetDouble(), to = gap.GetProperty("to_seconds").GetDouble();
        Assert.Equal("no-frames", gap.GetProperty("cause").GetString());
        Assert.Equal(0.98, from, 0.05);
        Assert.Equal(2.02, to - from, 0.002);
        // The file's last frame is where it was sent, not pulled forward over the gap.
        Assert.Equal(4.0, track.GetProperty("end_seconds").GetDouble() - track.GetProperty("start_seconds").GetDouble(), 0.002);
    }

    [Fact]
    public async Task Video_before_its_first_key_frame_is_dropped_and_a_key_frame_is_asked_for()
    {
        var (_, video) = await Media.BeepFlashAsync();
        var h = new Harness(configure: o => o.Composite = false);
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("v", TrackKind.Video, "vp8"));
        // Join mid-stream: start at a delta frame, 5 frames before the next key frame (every 15).
        List<EncodedFrame> fromMidGop = [.. video.Skip(10)];
        foreach (EncodedFrame f in fromMidGop) h.Send("alice/v", f, TimeSpan.Zero, AliceClock, video: true);
        await StopAsync(gateway);
        JsonElement track = Assert.Single((await h.ManifestAsync()).GetProperty("tracks").EnumerateArray());
        Assert.Equal(fromMidGop.Count - 5, track.GetProperty("frames").GetInt64());
        Assert.Equal(5, track.GetProperty("counters").GetProperty("frames_dropped_before_key_frame").GetInt64());
        Assert.True(track.GetProperty("counters").GetProperty("key_frame_requests").GetInt64() >= 1);
        Assert.Contains("alice/v", h.Subscription.KeyFrameRequests);
    }

    [Fact]
    public async Task The_conference_ending_finishes_the_recording()
    {
        var (audio, _) = await Media.BeepFlashAsync();
        var h = new Harness(configure: o => o.Composite = false);
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"));
        foreach (EncodedFrame f in audio.Take(50)) h.Send("alice/a", f, TimeSpan.Zero, AliceClock, video: false);
        h.Session.End("room destroyed");
        GatewayOutcome outcome = await gateway.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Equal("conference-ended", (await h.ManifestAsync()).GetProperty("end_reason").GetString());
    }

    [Fact]
    public async Task Start_failures_are_typed()
    {
        var h = new Harness();
        h.Conference.JoinFailure = new ConferenceException(ConferenceErrorKind.NotFound, "no such room");
        var notFound = await Assert.ThrowsAsync<GatewayStartException>(() => h.StartAsync());
        Assert.Equal("conference-not-found", notFound.Code);

        h.Conference.JoinFailure = null;
        h.Conference.RequiresE2ee = true;
        var e2ee = await Assert.ThrowsAsync<GatewayStartException>(() => h.StartAsync("rec-2"));
        Assert.Equal("e2ee-required", e2ee.Code);
        Assert.True(h.Session.HasLeft);

        h.Conference.RequiresE2ee = false;
        IGateway first = await h.StartAsync("rec-3");
        var duplicate = await Assert.ThrowsAsync<GatewayStartException>(() => h.StartAsync("rec-3"));
        Assert.Equal("duplicate-gateway-id", duplicate.Code);
        await first.StopAsync(default);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(10);
        }
    }
}
