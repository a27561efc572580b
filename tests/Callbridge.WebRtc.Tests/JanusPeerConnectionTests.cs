using System.Collections.Concurrent;
using System.Diagnostics;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Wav;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.WebRtc.Tests;

/// <summary>
/// The bot's PeerConnection against a real Janus VideoRoom with real Chromium participants (fake mic from
/// a flite WAV, fake camera from an ffmpeg Y4M). One class so the Janus and the browser site are shared
/// and the Chromium-heavy tests run one after another.
/// </summary>
public sealed partial class JanusPeerConnectionTests : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog. Callbridge audio check, one two three.";
    private readonly JanusFixture _janus;
    private readonly BrowserFixture _browser;
    private readonly ITestOutputHelper _output;

    public JanusPeerConnectionTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    {
        _janus = janus;
        _browser = browser;
        _output = output;
    }

    [Fact]
    public Task Bot_subscribes_to_a_browser_and_its_decoded_opus_follows_the_source_speech() => FailureLogs.RunAsync(_output, async () =>
    {
        string media = TestEnvironment.NewFolder("media");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, media);
        string other = await SpeechSynth.WriteWavAsync("Seven silver swans swim slowly, while a green parrot sings at noon.", FliteVoice.Awb, SpeechSynth.WebRtcRate, media, "other.wav");
        WavAudio source = WavAudio.Read(speech);
        long room = await _janus.CreateRoomAsync();
        await using BrowserParticipant publisher = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "publisher", FakeAudioWav = speech });
        ParticipantJoinResult published = await publisher.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "publisher", PublishAudio = true });
        Assert.True(published.Ok, published.Error);

        var frames = new ConcurrentQueue<(uint Timestamp, byte[] Data)>();
        await using JanusBot bot = await JanusBot.SubscribeAsync(_janus, room, published.Id, (in ReceivedFrame f) =>
        {
            if (f.Track.Kind == TrackKind.Audio)
            {
                frames.Enqueue((f.Info.RtpTimestamp, f.Data.ToArray()));
            }
        });
        Assert.Equal(PeerConnectionState.Connected, await bot.WaitSettledAsync());
        RemoteTrack audio = Assert.Single(bot.Connection.Tracks);
        Assert.Equal(TrackKind.Audio, audio.Kind);

        // Two loops of the source plus a second: every phase of Chromium's looping is covered twice.
        TimeSpan listen = TimeSpan.FromSeconds((2 * source.DurationSeconds) + 1);
        await WaitUntilAsync(() => !frames.IsEmpty, TimeSpan.FromSeconds(20), "first Opus frame");
        await Task.Delay(listen);
        await WaitUntilAsync(() => audio.SenderReportsReceived > 0, TimeSpan.FromSeconds(10), "an SR from Janus");

        (uint Timestamp, byte[] Data)[] received = frames.ToArray();
        float[] decoded = OpusTimeline.Decode(received);
        PeerConnectionStatistics stats = bot.Connection.Statistics;
        _output.WriteLine($"frames {received.Length}, decoded {decoded.Length / 48000.0:F2} s, rms {AudioCompare.Rms(decoded):F4}; {stats}; jitter {audio.JitterStatistics}");

        double[] recorded = AudioCompare.EnergyEnvelope(decoded, 48000);
        double[] sourceEnvelope = AudioCompare.EnergyEnvelope(source.Samples, source.SampleRate);
        double[] otherEnvelope = AudioCompare.EnergyEnvelope(WavAudio.Read(other).Samples, 48000);
        // The recording starts anywhere in the looped source: compare with the source repeated.
        (double same, int lag) = AudioCompare.NormalizedCrossCorrelation(recorded, OpusTimeline.Repeat(sourceEnvelope, 3), sourceEnvelope.Length);
        (double different, _) = AudioCompare.NormalizedCrossCorrelation(recorded, OpusTimeline.Repeat(otherEnvelope, 3), otherEnvelope.Length);
        _output.WriteLine($"envelope correlation with source {same:F3} (lag {lag} x 10 ms), with other speech {different:F3}");

        Assert.True(received.Length > listen.TotalSeconds * 40, $"only {received.Length} Opus frames in {listen.TotalSeconds:F1} s");
        Assert.True(AudioCompare.Rms(decoded) > 0.01, "decoded audio is silent");
        Assert.True(same >= 0.8, $"decoded vs source envelope correlation {same:F3}");
        Assert.True(same > different + 0.1, $"source {same:F3} vs unrelated speech {different:F3}");
        Assert.True(stats.RtcpSent > 0, "no receiver report sent");
        Assert.True(audio.TryGetSenderTime(received[^1].Timestamp, out DateTimeOffset senderTime), "no NTP/RTP mapping from the SR");
        Assert.InRange(senderTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(stats.SrtpFailures < 5, $"SRTP failures {stats.SrtpFailures}");
    }, _janus, _browser);

    [Fact]
    public Task Bot_receives_vp8_frames_and_a_pli_brings_a_key_frame() => FailureLogs.RunAsync(_output, async () =>
    {
        string media = TestEnvironment.NewFolder("media");
        string clip = await TestVideo.WriteY4mAsync(media);
        long room = await _janus.CreateRoomAsync();
        await using BrowserParticipant camera = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "camera", FakeVideoY4m = clip });
        ParticipantJoinResult published = await camera.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "camera", PublishVideo = true });
        Assert.True(published.Ok, published.Error);

        var clock = Stopwatch.StartNew();
        var keyFrames = new ConcurrentQueue<TimeSpan>();
        long bytes = 0;
        await using JanusBot bot = await JanusBot.SubscribeAsync(_janus, room, published.Id, (in ReceivedFrame f) =>
        {
            Interlocked.Add(ref bytes, f.Data.Length);
            if (f.Info.IsKeyFrame)
            {
                keyFrames.Enqueue(clock.Elapsed);
            }
        });
        Assert.Equal(PeerConnectionState.Connected, await bot.WaitSettledAsync());
        RemoteTrack video = Assert.Single(bot.Connection.Tracks);
        Assert.Equal(TrackKind.Video, video.Kind);

        string Progress() => $"frames {video.FramesReceived}, dropped {video.FramesDropped}, key frames at [{string.Join(", ", keyFrames.Select(k => k.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}] s, now {clock.Elapsed.TotalSeconds:F2} s; {bot.Connection.Statistics}";
        await WaitUntilAsync(() => video.FramesReceived >= 20 && !keyFrames.IsEmpty, TimeSpan.FromSeconds(30), "20 VP8 frames and a key frame", Progress);
        // A quiet period first, longer than the PLI's deadline below: the start's key frames (Janus asks
        // for one per new subscriber, Chromium sends more while it adapts its resolution) are over.
        await WaitUntilAsync(() => clock.Elapsed - keyFrames.Last() > TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), "3 s without a key frame", Progress);
        long framesBefore = video.FramesReceived;
        long plisBefore = bot.Connection.Statistics.PliSent;
        int keyFramesBefore = keyFrames.Count;
        TimeSpan pliAt = clock.Elapsed;
        Assert.True(bot.Connection.RequestKeyFrame(video));
        await WaitUntilAsync(() => keyFrames.Count > keyFramesBefore, TimeSpan.FromSeconds(3), "a key frame after the PLI", Progress);
        TimeSpan keyAt = keyFrames.ToArray()[keyFramesBefore];
        _output.WriteLine($"frames {video.FramesReceived} ({framesBefore} before the PLI), {Interlocked.Read(ref bytes)} bytes, key frames {keyFrames.Count}; PLI at {pliAt.TotalSeconds:F2} s, key frame at {keyAt.TotalSeconds:F2} s; {bot.Connection.Statistics}");

        Assert.True(keyAt > pliAt, "the key frame predates the PLI");
        Assert.True(keyAt - pliAt < TimeSpan.FromSeconds(3), Progress());
        Assert.True(bot.Connection.Statistics.PliSent > plisBefore);
        Assert.True(video.FramesReceived > framesBefore);
        // Janus is the DTLS server here and picks from its own preference list: GCM, which we offer first.
        Assert.Equal(Callbridge.Srtp.SrtpProfile.AeadAes128Gcm, bot.Connection.SrtpProfile);
    }, _janus, _browser);

    [Fact]
    public Task Bot_publishes_opus_speech_that_a_browser_subscriber_plays() => FailureLogs.RunAsync(_output, async () =>
    {
        string media = TestEnvironment.NewFolder("media");
        string speech = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, media);
        short[] pcm;
        using (WavReader reader = WavReader.Open(speech))
        {
            Assert.Equal(1, reader.Format.Channels);
            pcm = reader.ReadAll();
        }

        long room = await _janus.CreateRoomAsync();
        await using JanusBot bot = await JanusBot.PublishAsync(_janus, room, "bot");
        Assert.Equal(PeerConnectionState.Connected, await bot.WaitSettledAsync());

        using var pump = new CancellationTokenSource();
        Task<long> sending = Task.Run(() => OpusPump.RunAsync(bot.Connection.TrySendOpus, pcm, pump.Token));
        await using BrowserParticipant listener = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "listener" });
        ParticipantJoinResult joined = await listener.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "listener", Subscribe = true });
        Assert.True(joined.Ok, joined.Error);
        ParticipantStats stats = await listener.WaitForStatsAsync(s => s.AudioIn.PacketsReceived > 100 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(45));
        await pump.CancelAsync();
        long sent = await sending;
        _output.WriteLine($"listener: {stats}; bot sent {sent} frames; {bot.Connection.Statistics}");

        Assert.Empty(stats.Errors);
        Assert.Equal(1, stats.RemoteTracks);
        Assert.True(stats.AudioIn.PacketsReceived > 100, stats.ToString());
        Assert.True(stats.AudioIn.TotalAudioEnergy > 0.01, stats.ToString());
        Assert.True(bot.Connection.Statistics.RtpSent >= stats.AudioIn.PacketsReceived);
        Assert.True(bot.Connection.Statistics.RtcpSent > 0, "no sender report sent");
        // Janus offers the GCM profiles and we choose as DTLS server: GCM first.
        Assert.Equal(Callbridge.Srtp.SrtpProfile.AeadAes128Gcm, bot.Connection.SrtpProfile);
    }, _janus, _browser);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}; {progress?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
