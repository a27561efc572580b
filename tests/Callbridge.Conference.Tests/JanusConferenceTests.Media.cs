using System.Diagnostics;
using Callbridge.Audio.Wav;
using Callbridge.Conference.Janus;
using Callbridge.Janus.Embedded;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Media;
using Callbridge.WebRtc.Tests;

namespace Callbridge.Conference.Tests;

/// <summary>Media through the conference contract: a real Janus, real Chromium publishers, the bot's subscription.</summary>
public sealed partial class JanusConferenceTests
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog. Callbridge audio check, one two three.";

    [Fact]
    public Task Subscription_delivers_a_chromium_publishers_audio_and_video_with_key_frames_on_request() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("subscribe");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        string other = await SpeechSynth.WriteWavAsync("Seven silver swans swim slowly, while a green parrot sings at noon.", FliteVoice.Awb, SpeechSynth.WebRtcRate, folder, "other.wav");
        string clip = await TestVideo.WriteY4mAsync(folder);
        WavAudio source = WavAudio.Read(speech);
        long room = await janus.CreateRoomAsync();

        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = speech, FakeVideoY4m = clip });
        ParticipantJoinResult published = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true });
        Assert.True(published.Ok, published.Error);

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        await WaitUntilAsync(() => bot.Participants.SelectMany(p => p.Tracks).Count() == 2, "Alice's two tracks in the roster");
        PublishedTrack audio = bot.Participants.Single().Tracks.Single(t => t.Kind == TrackKind.Audio);
        PublishedTrack video = bot.Participants.Single().Tracks.Single(t => t.Kind == TrackKind.Video);

        var sink = new RecordingSink();
        await using IConferenceSubscription subscription = await bot.SubscribeAsync(new SubscriptionRequest(), sink, default);
        Assert.Equal([audio.TrackId, video.TrackId], subscription.Tracks.Select(t => t.TrackId).Order());

        // Two loops of the source plus a second: every phase of Chromium's looping is covered twice.
        TimeSpan listen = TimeSpan.FromSeconds((2 * source.DurationSeconds) + 1);
        await WaitUntilAsync(() => sink.Track(audio.TrackId).Count > 0 && sink.Track(video.TrackId).Count > 0, "first frames of both tracks");
        await Task.Delay(listen);
        await WaitUntilAsync(() => sink.Track(audio.TrackId).Frames[^1].SenderTime is not null, "a frame with the sender's time (RTCP SR)");

        // Key frame on request, after a quiet period longer than the deadline (the start's key frames are over).
        var keyFrames = new Func<int>(() => sink.Track(video.TrackId).Frames.Count(f => f.IsKeyFrame));
        int keysBefore = keyFrames();
        var quiet = Stopwatch.StartNew();
        int lastKeys = keysBefore;
        await WaitUntilAsync(() =>
        {
            int now = keyFrames();
            if (now != lastKeys)
            {
                lastKeys = now;
                quiet.Restart();
            }

            return quiet.Elapsed > TimeSpan.FromSeconds(3);
        }, "3 s without a key frame", TimeSpan.FromSeconds(60));
        keysBefore = keyFrames();
        long askedAt = Stopwatch.GetTimestamp();
        Assert.True(subscription.RequestKeyFrame(video.TrackId));
        Assert.False(subscription.RequestKeyFrame(audio.TrackId));
        Assert.False(subscription.RequestKeyFrame("nobody/0"));
        var media = (JanusConferenceSubscription)subscription;
        await WaitUntilAsync(() => keyFrames() > keysBefore, "a key frame after RequestKeyFrame", TimeSpan.FromSeconds(3),
            () => $"key frames {keyFrames()} ({keysBefore} before); {media.Connection?.Statistics}");
        output.WriteLine($"key frame {Stopwatch.GetElapsedTime(askedAt).TotalMilliseconds:F0} ms after the request");

        // The media loop allocates nothing per frame once the sink itself stops copying.
        sink.Recording = false;
        long framesBefore = sink.Frames;
        long allocatedBefore = media.MediaLoopAllocatedBytes;
        await Task.Delay(TimeSpan.FromSeconds(2));
        long allocated = media.MediaLoopAllocatedBytes - allocatedBefore;
        long framesDuring = sink.Frames - framesBefore;
        output.WriteLine($"media loop allocated {allocated} bytes over {framesDuring} frames");
        Assert.True(framesDuring > 100, $"only {framesDuring} frames in 2 s");
        Assert.Equal(0, allocated);

        RecordedFrame[] audioFrames = sink.Track(audio.TrackId).Frames;
        RecordedFrame[] videoFrames = sink.Track(video.TrackId).Frames;
        float[] decoded = OpusTimeline.Decode(audioFrames.Select(f => (f.RtpTimestamp, f.Data)).ToArray());
        double[] recorded = AudioCompare.EnergyEnvelope(decoded, 48000);
        double[] sourceEnvelope = AudioCompare.EnergyEnvelope(source.Samples, source.SampleRate);
        double[] otherEnvelope = AudioCompare.EnergyEnvelope(WavAudio.Read(other).Samples, 48000);
        (double same, int lag) = AudioCompare.NormalizedCrossCorrelation(recorded, OpusTimeline.Repeat(sourceEnvelope, 3), sourceEnvelope.Length);
        (double different, _) = AudioCompare.NormalizedCrossCorrelation(recorded, OpusTimeline.Repeat(otherEnvelope, 3), otherEnvelope.Length);
        IReadOnlyList<SubscribedTrackStatistics> stats = subscription.Statistics;
        output.WriteLine($"audio frames {audioFrames.Length}, video frames {videoFrames.Length} ({videoFrames.Count(f => f.IsKeyFrame)} key); correlation {same:F3} (lag {lag}), other {different:F3}");
        foreach (SubscribedTrackStatistics s in stats)
        {
            output.WriteLine(s.ToString());
        }

        Assert.True(audioFrames.Length > listen.TotalSeconds * 40, $"only {audioFrames.Length} Opus frames");
        Assert.True(same >= 0.8, $"decoded vs source envelope correlation {same:F3}");
        Assert.True(same > different + 0.1, $"source {same:F3} vs unrelated speech {different:F3}");
        Assert.True(videoFrames.Length > listen.TotalSeconds * 5, $"only {videoFrames.Length} VP8 frames");
        Assert.True(videoFrames[0].IsKeyFrame, "the first delivered VP8 frame is not a key frame");
        Assert.All(audioFrames, f => Assert.Equal(48000, f.ClockRate));
        Assert.All(videoFrames, f => Assert.Equal(90000, f.ClockRate));
        Assert.Single(audioFrames.Select(f => f.Ssrc).Distinct());
        Assert.DoesNotContain(audioFrames.Concat(videoFrames), f => f.LooksEncrypted);
        Assert.Empty(sink.Encrypted);
        Assert.Equal([audio.TrackId, video.TrackId], sink.Started.Order());
        DateTimeOffset senderTime = audioFrames[^1].SenderTime!.Value;
        Assert.InRange(senderTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(audioFrames.Zip(audioFrames.Skip(1)).All(p => p.Second.ReceivedTimestamp >= p.First.ReceivedTimestamp), "ReceivedTimestamp goes back");

        SubscribedTrackStatistics audioStats = stats.Single(s => s.TrackId == audio.TrackId);
        SubscribedTrackStatistics videoStats = stats.Single(s => s.TrackId == video.TrackId);
        Assert.True(audioStats.PacketsReceived >= audioFrames.Length, audioStats.ToString());
        Assert.True(audioStats.FramesReceived >= audioFrames.Length, audioStats.ToString());
        Assert.InRange(audioStats.PacketsLost, 0, audioStats.PacketsReceived / 20);
        Assert.True(audioStats.Jitter > TimeSpan.Zero && audioStats.Jitter < TimeSpan.FromMilliseconds(100), audioStats.ToString());
        Assert.True(videoStats.KeyFramesReceived >= 2, videoStats.ToString());
        Assert.True(videoStats.PacketsReceived > videoStats.FramesReceived / 2, videoStats.ToString());
        Assert.True(videoStats.Jitter > TimeSpan.Zero, videoStats.ToString());
        Assert.Empty(sink.Ended);

        await subscription.DisposeAsync();
        Assert.Equal([audio.TrackId, video.TrackId], sink.Ended.Select(e => e.TrackId).Order());
        Assert.Empty(subscription.Tracks);
    }, janus, browser);

    [Fact]
    public Task Published_audio_goes_through_the_transform_and_a_chromium_subscriber_hears_it() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("publish");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        short[] pcm;
        using (WavReader reader = WavReader.Open(speech))
        {
            Assert.Equal(1, reader.Format.Channels);
            pcm = reader.ReadAll();
        }

        long room = await janus.CreateRoomAsync();
        await using IConferenceSession listenerOnly = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        var refused = await Assert.ThrowsAsync<ConferenceException>(() => listenerOnly.PublishAudioAsync(new AudioPublicationOptions(), default));
        Assert.Equal(ConferenceErrorKind.Rejected, refused.Kind);

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "phone", BotRole.SubscriberAndPublisher), default);
        var transformed = new System.Collections.Concurrent.ConcurrentQueue<(uint Ssrc, uint Timestamp)>();
        // An identity transform that records what a JFrame transform needs: the SSRC and RTP timestamp of each frame.
        var options = new AudioPublicationOptions((frame, ssrc, timestamp, destination) =>
        {
            transformed.Enqueue((ssrc, timestamp));
            frame.CopyTo(destination);
            return frame.Length;
        });
        await using IConferenceAudioPublication publication = await bot.PublishAudioAsync(options, default);
        Assert.NotEqual(0u, publication.Ssrc);

        using var pump = new CancellationTokenSource();
        Task<long> sending = Task.Run(() => OpusPump.RunAsync(p => publication.TrySendOpus(p), pcm, pump.Token));
        await using BrowserParticipant listener = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "listener" });
        ParticipantJoinResult joined = await listener.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "listener", Subscribe = true });
        Assert.True(joined.Ok, joined.Error);
        ParticipantStats stats = await listener.WaitForStatsAsync(s => s.AudioIn.PacketsReceived > 100 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(45));
        await pump.CancelAsync();
        long sent = await sending;
        (uint Ssrc, uint Timestamp)[] calls = transformed.ToArray();
        output.WriteLine($"listener: {stats}; bot sent {sent} frames, transform called {calls.Length} times");

        Assert.Empty(stats.Errors);
        Assert.Equal(1, stats.RemoteTracks);
        Assert.True(stats.AudioIn.PacketsReceived > 100, stats.ToString());
        Assert.True(stats.AudioIn.TotalAudioEnergy > 0.01, stats.ToString());
        Assert.True(calls.Length >= stats.AudioIn.PacketsReceived, $"{calls.Length} transform calls for {stats.AudioIn.PacketsReceived} packets heard");
        Assert.All(calls, c => Assert.Equal(publication.Ssrc, c.Ssrc));
        Assert.All(calls.Zip(calls.Skip(1)), p => Assert.Equal(p.First.Timestamp + 960, p.Second.Timestamp));

        // The recorder sees the bot's track in the roster, like any participant's, under the id the bot's session
        // gives as its own (the SIP bridge tells a caller's own track apart by it).
        await WaitUntilAsync(() => listenerOnly.Participants.Any(p => p.DisplayName == "phone" && p.Tracks.Any(t => t.Kind == TrackKind.Audio)), "the bot's audio track in another session's roster");
        Assert.NotNull(bot.ParticipantId);
        Assert.Equal(bot.ParticipantId, listenerOnly.Participants.Single(p => p.DisplayName == "phone").ParticipantId);
        Assert.NotEqual(bot.ParticipantId, listenerOnly.ParticipantId);
    }, janus, browser);

    [Fact]
    public Task Participants_joining_later_arrive_on_the_same_subscription_and_unpublishing_ends_their_tracks() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("late");
        string aliceWav = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        string bobWav = await SpeechSynth.WriteWavAsync("Seven silver swans swim slowly, while a green parrot sings at noon.", FliteVoice.Awb, SpeechSynth.WebRtcRate, folder, "bob.wav");
        string clip = await TestVideo.WriteY4mAsync(folder);
        long room = await janus.CreateRoomAsync();

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        var sink = new RecordingSink();
        await using IConferenceSubscription subscription = await bot.SubscribeAsync(new SubscriptionRequest(), sink, default);
        Assert.Empty(subscription.Tracks);

        // The first publisher: the subscription opens its media connection for it.
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = aliceWav, FakeVideoY4m = clip });
        ParticipantJoinResult a = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true });
        Assert.True(a.Ok, a.Error);
        string aliceId = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => subscription.Tracks.Count(t => t.ParticipantId == aliceId) == 2
            && subscription.Tracks.All(t => sink.Has(t.TrackId) && sink.Track(t.TrackId).Count > 10), "Alice's audio and video frames", TimeSpan.FromSeconds(30), () => Describe(subscription, sink));

        // A later publisher: added to the same handle and connection by renegotiation.
        await using BrowserParticipant bob = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "bob", FakeAudioWav = bobWav });
        ParticipantJoinResult b = await bob.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Bob", PublishAudio = true });
        Assert.True(b.Ok, b.Error);
        string bobId = b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => subscription.Tracks.Any(t => t.ParticipantId == bobId) && sink.Has(bobId + "/0") && sink.Track(bobId + "/0").Count > 300,
            "Bob's audio frames on the same subscription", TimeSpan.FromSeconds(30), () => Describe(subscription, sink));
        PublishedTrack bobAudio = subscription.Tracks.Single(t => t.ParticipantId == bobId);
        Assert.Equal(TrackKind.Audio, bobAudio.Kind);
        Assert.Equal(3, subscription.Tracks.Count);
        PublishedTrack aliceAudio = subscription.Tracks.Single(t => t.ParticipantId == aliceId && t.Kind == TrackKind.Audio);
        PublishedTrack aliceVideo = subscription.Tracks.Single(t => t.ParticipantId == aliceId && t.Kind == TrackKind.Video);
        var media = (JanusConferenceSubscription)subscription;
        Assert.Empty(sink.Ended);

        // Bob's audio is Bob's speech, not Alice's: the m-line to track mapping holds.
        double bobScore = Correlation(sink.Track(bobAudio.TrackId).Frames, bobWav);
        double bobVsAlice = Correlation(sink.Track(bobAudio.TrackId).Frames, aliceWav);
        output.WriteLine($"Bob's track vs Bob's speech {bobScore:F3}, vs Alice's {bobVsAlice:F3}");
        Assert.True(bobScore > bobVsAlice, $"Bob's track matches Alice's speech better ({bobVsAlice:F3}) than Bob's ({bobScore:F3})");

        // Bob stops publishing: his track ends, Alice's keep flowing on the renegotiated connection.
        await bob.UnpublishAsync();
        await WaitUntilAsync(() => sink.Ended.Any(e => e.TrackId == bobAudio.TrackId), "Bob's track ended", progress: () => Describe(subscription, sink));
        Assert.Equal("unpublished", sink.Ended.Single(e => e.TrackId == bobAudio.TrackId).Reason);
        await WaitUntilAsync(() => subscription.Tracks.Count == 2, "two tracks left", progress: () => Describe(subscription, sink));
        int aliceAudioFrames = sink.Track(aliceAudio.TrackId).Count;
        int aliceVideoFrames = sink.Track(aliceVideo.TrackId).Count;
        int bobFrames = sink.Track(bobAudio.TrackId).Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        output.WriteLine(Describe(subscription, sink));
        Assert.True(sink.Track(aliceAudio.TrackId).Count > aliceAudioFrames + 50, "Alice's audio stopped after Bob left");
        Assert.True(sink.Track(aliceVideo.TrackId).Count > aliceVideoFrames + 5, "Alice's video stopped after Bob left");
        Assert.InRange(sink.Track(bobAudio.TrackId).Count, bobFrames, bobFrames + 2);
        Assert.Equal([aliceAudio.TrackId, aliceVideo.TrackId], subscription.Statistics.Select(t => t.TrackId).Order());
        Assert.Equal(0, media.SinkFailures);

        // Alice leaves: both her tracks end, with the reason.
        await alice.LeaveAsync();
        await WaitUntilAsync(() => sink.Ended.Count == 3, "Alice's tracks ended", progress: () => Describe(subscription, sink));
        // Janus announces a leaving publisher's unpublish before its leave: either is the roster's reason.
        Assert.Equal([aliceAudio.TrackId, aliceVideo.TrackId], sink.Ended.Where(e => e.TrackId != bobAudio.TrackId).Select(e => e.TrackId).Order());
        Assert.All(sink.Ended.Where(e => e.TrackId != bobAudio.TrackId), e => Assert.Contains(e.Reason, new[] { "unpublished", "participant left" }));
        Assert.Empty(subscription.Tracks);
        Assert.Equal(3, sink.Started.Count);
    }, janus, browser);

    [Fact]
    public Task Subscription_resumes_on_the_restarted_janus_after_the_session_rejoins() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("restart-media");
        string speech = await SpeechSynth.WriteWavAsync("the quick brown fox", FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        var serverOptions = new JanusServerOptions { WorkFolder = Path.Combine(folder, "first"), BindAddress = TestEnvironment.TestIp, IceInterface = TestEnvironment.TestInterface, WebSocketPort = -1 };
        JanusServer first = await JanusServer.StartAsync(serverOptions);
        int port = first.Layout.HttpPort;
        const long room = 4343;
        await CreateRoomAsync(first.HttpUri, room);

        await using IConferenceSession bot = await Connector(first.HttpUri, poll: TimeSpan.FromMilliseconds(500)).JoinAsync(new ConferenceJoinRequest(room.ToString(), "bot", BotRole.Subscriber), default);
        var sink = new RecordingSink();
        await using IConferenceSubscription subscription = await bot.SubscribeAsync(new SubscriptionRequest(Video: false), sink, default);

        // A second bot publishing audio: its publication must come back by itself after the rejoin.
        short[] pcm;
        using (WavReader reader = WavReader.Open(speech))
        {
            pcm = reader.ReadAll();
        }

        await using IConferenceSession phone = await Connector(first.HttpUri, poll: TimeSpan.FromMilliseconds(500)).JoinAsync(new ConferenceJoinRequest(room.ToString(), "phone", BotRole.SubscriberAndPublisher), default);
        await using IConferenceAudioPublication publication = await phone.PublishAudioAsync(new AudioPublicationOptions(), default);
        using var pump = new CancellationTokenSource();
        Task<long> sending = Task.Run(() => OpusPump.RunAsync(p => publication.TrySendOpus(p), pcm, pump.Token));
        await WaitUntilAsync(() => subscription.Tracks.Any(t => sink.Has(t.TrackId) && sink.Track(t.TrackId).Count > 25), "the phone's audio on the first Janus", progress: () => Describe(subscription, sink));
        uint firstSsrc = publication.Ssrc;

        await using (BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = speech }))
        {
            ParticipantJoinResult a = await alice.JoinAsync(new ParticipantJoinOptions { Server = first.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true });
            Assert.True(a.Ok, a.Error);
            string aliceTrack = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/0";
            await WaitUntilAsync(() => sink.Has(aliceTrack) && sink.Track(aliceTrack).Count > 25, "Alice's audio on the first Janus", progress: () => Describe(subscription, sink));

            await first.DisposeAsync(); // SIGTERM, then SIGKILL
            await WaitUntilAsync(() => sink.Ended.Any(e => e.TrackId == aliceTrack), "Alice's track ended with the lost Janus", progress: () => Describe(subscription, sink));
            output.WriteLine("ended: " + string.Join(", ", sink.Ended));
            Assert.Empty(subscription.Tracks);
            Assert.Equal(2, sink.Ended.Count);
            Assert.All(sink.Ended, e => Assert.Equal("the connection to Janus was lost", e.Reason));
        }

        await using JanusServer second = await JanusServer.StartAsync(new JanusServerOptions
        {
            WorkFolder = Path.Combine(folder, "second"), BindAddress = TestEnvironment.TestIp, IceInterface = TestEnvironment.TestInterface,
            HttpPort = port, WebSocketPort = -1,
        });
        await CreateRoomAsync(second.HttpUri, room);
        await ExpectAsync<ConferenceReconnected>(bot.Events);

        await using BrowserParticipant bob = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "bob", FakeAudioWav = speech });
        ParticipantJoinResult b = await bob.JoinAsync(new ParticipantJoinOptions { Server = second.HttpUri.ToString(), Room = room, Display = "Bob", PublishAudio = true });
        Assert.True(b.Ok, b.Error);
        string bobTrack = b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/0";
        await WaitUntilAsync(() => sink.Has(bobTrack) && sink.Track(bobTrack).Count > 25, "Bob's audio on the restarted Janus, same subscription", TimeSpan.FromSeconds(30), () => Describe(subscription, sink));

        // The phone bot rejoined and republished (new SSRC, new participant id): its audio arrives again.
        await WaitUntilAsync(() => subscription.Tracks.Count == 2 && subscription.Tracks.All(t => sink.Has(t.TrackId) && sink.Track(t.TrackId).Count > 25),
            "the phone's audio again after the restart", TimeSpan.FromSeconds(30), () => Describe(subscription, sink));
        await pump.CancelAsync();
        await sending;
        Assert.NotEqual(firstSsrc, publication.Ssrc);
        Assert.Contains(bobTrack, subscription.Tracks.Select(t => t.TrackId));
    }, janus, browser);

    [Fact]
    public Task A_jframe_encrypting_chromium_publisher_is_reported_encrypted_within_two_seconds() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("e2ee");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        string clip = await TestVideo.WriteY4mAsync(folder, fps: 30, seconds: 2);
        ParticipantE2eeOptions e2ee = await JFrameBrowserTransform.ServeAsync(browser, "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0", 3);
        long room = await janus.CreateRoomAsync(); // does not require E2EE: nothing in signalling tells the bot

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        var sink = new RecordingSink();
        await using IConferenceSubscription subscription = await bot.SubscribeAsync(new SubscriptionRequest(), sink, default);
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = speech, FakeVideoY4m = clip });
        ParticipantJoinResult a = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true, E2ee = e2ee });
        Assert.True(a.Ok, a.Error);

        await WaitUntilAsync(() => sink.Encrypted.Count == 2, "both tracks reported encrypted", TimeSpan.FromSeconds(30), () => Describe(subscription, sink));
        await Task.Delay(TimeSpan.FromSeconds(1)); // frames after the verdict too
        Assert.False(bot.RequiresE2ee);
        Assert.Equal(2, subscription.Tracks.Count);
        foreach (PublishedTrack track in subscription.Tracks)
        {
            (string _, string format, long at) = sink.Encrypted.Single(e => e.TrackId == track.TrackId);
            TrackLog log = sink.Track(track.TrackId);
            TimeSpan after = Stopwatch.GetElapsedTime(log.FirstFrameAt, at);
            RecordedFrame[] frames = log.Frames;
            int marked = frames.Count(f => f.LooksEncrypted);
            output.WriteLine($"{track.Kind}: {format} after {after.TotalMilliseconds:F0} ms; {marked} of {frames.Length} frames look encrypted");
            Assert.Equal("jframe", format);
            Assert.True(after <= TimeSpan.FromSeconds(2), $"{track.Kind} reported {after.TotalSeconds:F2} s after its first frame");
            // Every frame but the first shows a trailer repeating the previous frame's IV SSRC.
            Assert.True(marked >= frames.Length - 1, $"{track.Kind}: only {marked} of {frames.Length} frames look encrypted");
        }
    }, janus, browser);

    [Fact]
    public Task Lost_video_packets_are_nacked_to_janus_and_the_track_goes_on() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("nack");
        string clip = await TestVideo.WriteY4mAsync(folder);
        long room = await janus.CreateRoomAsync();
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeVideoY4m = clip });
        ParticipantJoinResult a = await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishVideo = true });
        Assert.True(a.Ok, a.Error);

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        await WaitUntilAsync(() => bot.Participants.SelectMany(p => p.Tracks).Any(), "Alice's video in the roster");
        var sink = new RecordingSink();
        await using IConferenceSubscription subscription = await bot.SubscribeAsync(new SubscriptionRequest(Audio: false), sink, default);
        PublishedTrack video = Assert.Single(subscription.Tracks);
        var media = (JanusConferenceSubscription)subscription;
        WebRtc.RemoteTrack remote = Assert.Single(media.Connection!.Tracks);
        Assert.True(remote.NacksEnabled, "Janus's offer did not signal NACK for VP8");
        await WaitUntilAsync(() => sink.Has(video.TrackId) && sink.Track(video.TrackId).Count > 20, "20 VP8 frames");

        // One packet in 10 is lost on its first way in (the loop sees each sequence number once, or again when resent).
        var seen = new HashSet<ushort>();
        long dropped = 0;
        long packets = 0;
        media.Connection.DropIncomingRtp = (ssrc, sequence) => seen.Add(sequence) && ++packets % 10 == 0 && ++dropped > 0;
        long framesBefore = sink.Track(video.TrackId).Count;
        await Task.Delay(TimeSpan.FromSeconds(6));
        media.Connection.DropIncomingRtp = null;
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        SubscribedTrackStatistics stats = Assert.Single(subscription.Statistics);
        long recovered = remote.PacketsRecovered;
        long framesDuring = sink.Track(video.TrackId).Count - framesBefore;
        output.WriteLine($"dropped {Interlocked.Read(ref dropped)}, recovered {recovered}; {stats}; frames during {framesDuring}, dropped frames {remote.FramesDropped}; {media.Connection.Statistics}");
        Assert.True(Interlocked.Read(ref dropped) >= 10, $"only {dropped} packets dropped");
        Assert.True(stats.NacksSent >= Interlocked.Read(ref dropped), stats.ToString());
        // Whether Janus answers is Janus's part: it resent most packets in some runs (15 of 16, 11 of 17) and none in
        // another, so the recovered count is reported above, not asserted. The answering side of our own publisher
        // is proven in PeerConnectionLoopbackTests. What is ours here: every loss is NACKed, the PLIs bring key
        // frames back, and the track keeps delivering.
        Assert.True(recovered <= Interlocked.Read(ref dropped), $"{recovered} recovered of {dropped} dropped");
        Assert.True(framesDuring > 10, $"only {framesDuring} frames in 6 s");
        Assert.Equal(0, media.Connection.Statistics.SrtpFailures);
    }, janus, browser);

    private static double Correlation(RecordedFrame[] frames, string wav)
    {
        float[] decoded = OpusTimeline.Decode(frames.Select(f => (f.RtpTimestamp, f.Data)).ToArray());
        double[] envelope = AudioCompare.EnergyEnvelope(WavAudio.Read(wav).Samples, 48000);
        return AudioCompare.NormalizedCrossCorrelation(AudioCompare.EnergyEnvelope(decoded, 48000), OpusTimeline.Repeat(envelope, 3), envelope.Length).Correlation;
    }

    private static string Describe(IConferenceSubscription subscription, RecordingSink sink) =>
        $"tracks [{string.Join(", ", subscription.Tracks.Select(t => t.TrackId))}]; frames [{string.Join(", ", subscription.Tracks.Select(t => $"{t.TrackId}={(sink.Has(t.TrackId) ? sink.Track(t.TrackId).Count : 0)}"))}]; "
        + $"ended [{string.Join(", ", sink.Ended.Select(e => e.TrackId + ":" + e.Reason))}]; {((JanusConferenceSubscription)subscription).Connection?.Statistics}";

    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? progress = null)
    {
        TimeSpan limit = timeout ?? Patience;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"timed out after {limit.TotalSeconds} s waiting for {what}; {progress?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
