using System.Diagnostics;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Conference.Tests;

/// <summary>A bot publishing pre-encoded VP8 through a real Janus to another bot's subscription.</summary>
public sealed partial class JanusConferenceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task A_bots_pre_encoded_video_reaches_a_subscriber_and_key_frame_requests_restart_it_on_a_key_frame(bool sendOnCallerThread) => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("publish-video");
        // A key frame only at frame 0 of a 6 s loop: any other key frame the subscriber gets was asked for.
        PreEncodedClip clip = await PreEncodedClip.CreateAsync(folder, seconds: 6, width: 320, height: 240, fps: 15, videoKbps: 300, keyFrameSeconds: 60);
        Assert.Equal([0], clip.KeyFrames);
        long room = await janus.CreateRoomAsync();

        await using IConferenceSession listenerOnly = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "listener", BotRole.Subscriber), default);
        await Assert.ThrowsAsync<ConferenceException>(() => listenerOnly.PublishAsync(new PublicationOptions(), default));

        await using IConferenceSession camera = await Connector(sendOnCallerThread: sendOnCallerThread).JoinAsync(new ConferenceJoinRequest(room.ToString(), "camera", BotRole.SubscriberAndPublisher), default);
        await using IConferencePublication publication = await camera.PublishAsync(new PublicationOptions(), default);
        Assert.NotNull(publication.VideoSsrc);
        Assert.NotEqual(publication.Ssrc, publication.VideoSsrc);
        using var player = new ClipPublisher(clip, publication, Stopwatch.GetTimestamp(), Stopwatch.Frequency);
        using var stop = new CancellationTokenSource();
        Task pacing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                player.Pace(Stopwatch.GetTimestamp());
                await Task.Delay(5);
            }
        });

        // Two seconds in, the subscriber joins mid-loop: its PLI must bring frame 0 at once, not at the loop's end.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using IConferenceSession viewer = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "viewer", BotRole.Subscriber), default);
        await WaitUntilAsync(() => viewer.Participants.Any(p => p.DisplayName == "camera" && p.Tracks.Count == 2), "the camera bot's two tracks in the roster");
        PublishedTrack[] tracks = [.. viewer.Participants.Single(p => p.DisplayName == "camera").Tracks];
        PublishedTrack video = tracks.Single(t => t.Kind == TrackKind.Video);
        PublishedTrack audio = tracks.Single(t => t.Kind == TrackKind.Audio);
        Assert.Equal(("vp8", "opus"), (video.Codec, audio.Codec));

        var sink = new RecordingSink();
        long subscribedAt = Stopwatch.GetTimestamp();
        await using IConferenceSubscription subscription = await viewer.SubscribeAsync(new SubscriptionRequest(), sink, default);
        await WaitUntilAsync(() => sink.Track(video.TrackId).Count > 0, "the first video frame");
        double firstFrameAfter = Stopwatch.GetElapsedTime(subscribedAt).TotalSeconds;
        Assert.True(sink.Track(video.TrackId).Frames[0].IsKeyFrame, "the first delivered frame is not a key frame");
        Assert.True(publication.KeyFrameRequests >= 1, "no PLI/FIR reached the publisher");
        Assert.True(player.Restarts >= 1, "the publisher did not restart on a key frame");

        // An explicit request half-way through the loop, once Janus's own start-up requests are over.
        await Task.Delay(TimeSpan.FromSeconds(2));
        int keysBefore = sink.Track(video.TrackId).Frames.Count(f => f.IsKeyFrame);
        long restartsBefore = player.Restarts;
        long askedAt = Stopwatch.GetTimestamp();
        Assert.True(subscription.RequestKeyFrame(video.TrackId));
        await WaitUntilAsync(() => sink.Track(video.TrackId).Frames.Count(f => f.IsKeyFrame) > keysBefore, "a key frame after RequestKeyFrame", TimeSpan.FromSeconds(3));
        double keyAfter = Stopwatch.GetElapsedTime(askedAt).TotalSeconds;
        Assert.True(player.Restarts > restartsBefore, "the key frame was not a restart");

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await pacing;
        RecordedFrame[] videoFrames = sink.Track(video.TrackId).Frames;
        RecordedFrame[] audioFrames = sink.Track(audio.TrackId).Frames;
        output.WriteLine($"clip {clip.VideoBitsPerSecond / 1000:F0} kbit/s; first frame {firstFrameAfter:F2} s after subscribing; key frame {keyAfter * 1000:F0} ms after the request; " +
            $"sent {player.VideoSent} video / {player.AudioSent} audio, received {videoFrames.Length} / {audioFrames.Length}; requests {publication.KeyFrameRequests}, restarts {player.Restarts}");

        // Every received frame is a clip frame byte for byte, in clip order (next frame, or frame 0 after a restart).
        int[] indices = videoFrames.Select(f => IndexOf(clip.Video, f.Data)).ToArray();
        Assert.DoesNotContain(-1, indices);
        for (int i = 1; i < indices.Length; i++)
        {
            Assert.True(indices[i] == (indices[i - 1] + 1) % clip.Video.Count || indices[i] == 0, $"frame {indices[i]} after {indices[i - 1]}");
        }

        Assert.Equal(videoFrames.Select(f => f.IsKeyFrame), indices.Select(i => i == 0));
        Assert.All(videoFrames, f => Assert.Equal(90000, f.ClockRate));
        Assert.DoesNotContain(videoFrames.Concat(audioFrames), f => f.LooksEncrypted);
        // 15 frames per second on a private link: the RTP clock advances one frame per frame received.
        int steps = videoFrames.Zip(videoFrames.Skip(1)).Count(p => p.Second.RtpTimestamp - p.First.RtpTimestamp == (uint)clip.VideoFrameDuration90k);
        Assert.True(steps >= (videoFrames.Length - 1) * 0.95, $"{steps} of {videoFrames.Length - 1} frame steps are one frame long");
        Assert.True(videoFrames.Length > 4 * 15 * 0.8, $"only {videoFrames.Length} video frames in 4 s");
        Assert.True(audioFrames.Length > 4 * 50 * 0.8, $"only {audioFrames.Length} audio frames in 4 s");
        Assert.All(audioFrames, f => Assert.Contains(clip.Opus, p => p.AsSpan().SequenceEqual(f.Data)));
        Assert.Equal(0, player.VideoRefused + player.AudioRefused);
    }, janus);

    private static int IndexOf(IReadOnlyList<byte[]> frames, byte[] data)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(data)) return i;
        }

        return -1;
    }
}
