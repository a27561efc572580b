using System.Collections.Concurrent;
using System.Diagnostics;
using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Media;

namespace Callbridge.WebRtc.Tests;

/// <summary>
/// The per-track ciphertext detector against a real Chromium publisher through a real Janus: with the JFrame
/// sender transform (jframe-transform.js in an RTCRtpScriptTransform worker) and without any transform, in a
/// room that does not require E2EE, so nothing in signalling tells the bot.
/// </summary>
public sealed partial class JanusPeerConnectionTests
{
    // Fixed 32-byte material (lib-jitsi-meet draws 32 random bytes); slot 3 so the trailer's key byte is not 0.
    private const string KeyMaterialHex = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    private const int KeySlot = 3;

    private const int SampledFrames = 40;

    [Fact]
    public Task Detector_marks_a_browsers_jframe_encrypted_audio_and_video_within_two_seconds() => FailureLogs.RunAsync(_output, async () =>
    {
        ParticipantE2eeOptions e2ee = await JFrameBrowserTransform.ServeAsync(_browser, KeyMaterialHex, KeySlot);
        DetectionRun run = await RunDetectionAsync("encrypted", e2ee, async (bot, live) =>
        {
            await WaitUntilAsync(
                () => bot.Connection.Tracks.Count == 2 && bot.Connection.Tracks.All(t => t.EncryptionDetectedAfter is not null),
                TimeSpan.FromSeconds(30),
                "both tracks judged encrypted");
            // More frames for the decryption check below than the detector needed.
            await WaitUntilAsync(() => live.Samples.Count == 2 && live.Samples.Values.All(q => q.Count >= SampledFrames), TimeSpan.FromSeconds(20), $"{SampledFrames} frames per track");
        });

        foreach (RemoteTrack track in run.Tracks)
        {
            Assert.Equal(FrameFormat.JFrame, track.Encryption);
            Assert.True(track.IsEncrypted);
            (FrameFormat format, TimeSpan reported, TimeSpan observedAt) = Assert.Single(run.Encrypted[track.Kind]);
            Assert.Equal(FrameFormat.JFrame, format);
            Assert.Equal(track.EncryptionDetectedAfter, reported);
            TimeSpan measured = observedAt - run.FirstFrame[track.Kind];
            _output.WriteLine($"{track.Kind}: judged {format} after {reported.TotalMilliseconds:F0} ms (test clock {measured.TotalMilliseconds:F0} ms), {track.FramesReceived} frames");
            Assert.True(reported <= TimeSpan.FromSeconds(2), $"{track.Kind} judged encrypted {reported.TotalSeconds:F2} s after its first frame");
            Assert.True(measured <= TimeSpan.FromSeconds(2), $"{track.Kind} judged encrypted {measured.TotalSeconds:F2} s after its first frame (test clock)");
        }

        // The verdict is right: the frames really are JFrame under our key, and decrypt to well-formed media.
        using var context = new JFrameContext();
        context.SetKey(Convert.FromHexString(KeyMaterialHex), KeySlot);
        foreach ((TrackKind kind, ConcurrentQueue<(bool Key, byte[] Data)> frames) in run.Samples)
        {
            int decrypted = 0;
            int wellFormed = 0;
            foreach ((bool key, byte[] data) in frames)
            {
                JFrameKind frameKind = kind == TrackKind.Audio ? JFrameKind.Audio : key ? JFrameKind.VideoKey : JFrameKind.VideoDelta;
                var plain = new byte[data.Length];
                JFrameDecryptResult result = context.Decrypt(frameKind, data, plain);
                if (!result.Success)
                {
                    continue;
                }

                decrypted++;
                ReadOnlySpan<byte> media = plain.AsSpan(0, result.BytesWritten);
                bool ok = kind == TrackKind.Audio
                    ? OpusPacketValidator.Validate(media) == OpusPacketError.None
                    : Vp8FrameValidator.Validate(media, out _) == Vp8FrameError.None;
                wellFormed += ok ? 1 : 0;
            }

            _output.WriteLine($"{kind}: {decrypted} of {frames.Count} sampled frames decrypt with the key, {wellFormed} well-formed after");
            Assert.True(frames.Count >= SampledFrames, $"{kind}: only {frames.Count} frames sampled");
            Assert.Equal(frames.Count, decrypted);
            Assert.Equal(decrypted, wellFormed);
        }
    }, _janus, _browser);

    [Fact]
    public Task Detector_never_marks_a_browsers_clear_audio_and_video_encrypted() => FailureLogs.RunAsync(_output, async () =>
    {
        var listen = TimeSpan.FromSeconds(10);
        DetectionRun run = await RunDetectionAsync("clear", null, async (bot, live) =>
        {
            await WaitUntilAsync(() => bot.Connection.Tracks.Count == 2 && bot.Connection.Tracks.All(t => t.FramesReceived > 0), TimeSpan.FromSeconds(30), "a frame on both tracks");
            // Listen until each track's own frames span the whole window (a fixed delay can end a frame short).
            await WaitUntilAsync(() => bot.Connection.Tracks.All(t =>
                    live.FirstFrame.TryGetValue(t.Kind, out TimeSpan first) && live.LastFrame.TryGetValue(t.Kind, out TimeSpan last) && last - first >= listen),
                listen + TimeSpan.FromSeconds(20), $"{listen.TotalSeconds:0} s of frames on both tracks");
        });

        foreach (RemoteTrack track in run.Tracks)
        {
            TimeSpan span = run.LastFrame[track.Kind] - run.FirstFrame[track.Kind];
            _output.WriteLine($"{track.Kind}: verdict {track.Encryption} over {track.FramesReceived} frames in {span.TotalSeconds:F2} s");
            Assert.True(span >= listen, $"{track.Kind}: frames spanned only {span.TotalSeconds:F2} s");
            Assert.True(track.FramesReceived >= (track.Kind == TrackKind.Audio ? 400 : 100), $"{track.Kind}: only {track.FramesReceived} frames");
            Assert.Empty(run.Encrypted[track.Kind]);
            Assert.Null(track.EncryptionDetectedAfter);
            Assert.False(track.IsEncrypted);
            // Positively judged clear, not merely undecided.
            Assert.Equal(FrameFormat.Clear, track.Encryption);
        }
    }, _janus, _browser);

    /// <summary>A Chromium publisher (flite speech + Y4M camera, optional sender transform) and a subscribing bot.</summary>
    private async Task<DetectionRun> RunDetectionAsync(string name, ParticipantE2eeOptions? e2ee, Func<JanusBot, DetectionRun, Task> observe)
    {
        string media = TestEnvironment.NewFolder("media");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, media);
        // 30 fps so a 16-frame run is about half a second of video.
        string clip = await TestVideo.WriteY4mAsync(media, fps: 30, seconds: 2);
        long room = await _janus.CreateRoomAsync();
        await using BrowserParticipant publisher = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = name, FakeAudioWav = speech, FakeVideoY4m = clip });
        ParticipantJoinResult published = await publisher.JoinAsync(new ParticipantJoinOptions
        {
            Server = _janus.HttpUri.ToString(),
            Room = room,
            Display = name,
            PublishAudio = true,
            PublishVideo = true,
            E2ee = e2ee,
        });
        Assert.True(published.Ok, published.Error);

        var run = new DetectionRun();
        var clock = Stopwatch.StartNew();
        await using JanusBot bot = await JanusBot.SubscribeAsync(
            _janus,
            room,
            published.Id,
            (in ReceivedFrame f) =>
            {
                TimeSpan now = clock.Elapsed;
                run.FirstFrame.TryAdd(f.Track.Kind, now);
                run.LastFrame[f.Track.Kind] = now;
                ConcurrentQueue<(bool Key, byte[] Data)> samples = run.Samples.GetOrAdd(f.Track.Kind, _ => new());
                if (samples.Count < 100)
                {
                    samples.Enqueue((f.Info.IsKeyFrame, f.Data.ToArray()));
                }
            },
            (track, format, after) => run.Encrypted[track.Kind].Enqueue((format, after, clock.Elapsed)));
        Assert.Equal(PeerConnectionState.Connected, await bot.WaitSettledAsync());
        await observe(bot, run);
        Assert.Equal([TrackKind.Audio, TrackKind.Video], bot.Connection.Tracks.Select(t => t.Kind).Order());
        run.Tracks = [.. bot.Connection.Tracks];
        return run;
    }

    private sealed class DetectionRun
    {
        public ConcurrentDictionary<TrackKind, TimeSpan> FirstFrame { get; } = new();

        public ConcurrentDictionary<TrackKind, TimeSpan> LastFrame { get; } = new();

        public ConcurrentDictionary<TrackKind, ConcurrentQueue<(bool Key, byte[] Data)>> Samples { get; } = new();

        public Dictionary<TrackKind, ConcurrentQueue<(FrameFormat Format, TimeSpan Reported, TimeSpan ObservedAt)>> Encrypted { get; } = new()
        {
            [TrackKind.Audio] = new(),
            [TrackKind.Video] = new(),
        };

        public IReadOnlyList<RemoteTrack> Tracks { get; set; } = [];
    }
}
