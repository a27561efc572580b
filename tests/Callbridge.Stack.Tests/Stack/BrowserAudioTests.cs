using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>Two real Chromium participants in a real Janus VideoRoom.</summary>
public sealed class BrowserAudioTests : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>
{
    private readonly JanusFixture _janus;
    private readonly BrowserFixture _browser;
    private readonly ITestOutputHelper _output;

    public BrowserAudioTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    {
        _janus = janus;
        _browser = browser;
        _output = output;
    }

    [Fact]
    public Task Speech_published_by_one_browser_is_heard_by_the_other() => FailureLogs.RunAsync(_output, async () =>
    {
        var media = TestEnvironment.NewFolder("media");
        var speech = await SpeechSynth.WriteWavAsync("The quick brown fox jumps over the lazy dog. Callbridge audio check.", FliteVoice.Slt, SpeechSynth.WebRtcRate, media);
        var room = await _janus.CreateRoomAsync();
        // Both browsers start together: a Chromium launch is the slowest step on a loaded machine.
        var launches = new[] { _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "talker", FakeAudioWav = speech }), _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "listener" }) };
        await Task.WhenAll(launches);
        await using var talker = launches[0].Result;
        await using var listener = launches[1].Result;

        var published = await talker.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "talker", PublishAudio = true });
        Assert.True(published.Ok, published.Error);
        var joined = await listener.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "listener", Subscribe = true });
        Assert.True(joined.Ok, joined.Error);

        // Energy accumulates only while the decoded audio plays through the <audio> element.
        var stats = await listener.WaitForStatsAsync(s => s.AudioIn.PacketsReceived > 100 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(45));
        _output.WriteLine("listener: " + stats);
        _output.WriteLine("talker: " + await talker.GetStatsAsync());

        Assert.Empty(stats.Errors);
        Assert.Equal(1, stats.RemoteTracks);
        Assert.True(stats.AudioIn.PacketsReceived > 100, stats.ToString());
        Assert.True(stats.AudioIn.BytesReceived > 0, stats.ToString());
        Assert.True(stats.AudioIn.TotalAudioEnergy > 0.01, stats.ToString());
        var participants = await _janus.Rooms.ListParticipantsAsync(room);
        Assert.Contains(participants, p => p.Display == "talker" && p.Publisher);
    }, _janus, _browser);

    [Fact]
    public Task Fake_camera_video_published_by_one_browser_is_decoded_by_the_other() => FailureLogs.RunAsync(_output, async () =>
    {
        var media = TestEnvironment.NewFolder("media");
        var clip = await TestVideo.WriteY4mAsync(media);
        var room = await _janus.CreateRoomAsync();
        // Both browsers start together: a Chromium launch is the slowest step on a loaded machine.
        var launches = new[] { _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "camera", FakeVideoY4m = clip }), _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "viewer" }) };
        await Task.WhenAll(launches);
        await using var camera = launches[0].Result;
        await using var viewer = launches[1].Result;

        Assert.True((await camera.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "camera", PublishVideo = true })).Ok);
        Assert.True((await viewer.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "viewer", Subscribe = true })).Ok);

        var stats = await viewer.WaitForStatsAsync(s => s.VideoIn.FramesDecoded > 20, TimeSpan.FromSeconds(45));
        _output.WriteLine("viewer: " + stats);

        Assert.True(stats.VideoIn.FramesDecoded > 20, stats.ToString());
        Assert.True(stats.VideoIn.BytesReceived > 0, stats.ToString());
        Assert.Equal(0, stats.AudioIn.PacketsReceived);
    }, _janus, _browser);

    [Fact]
    public Task E2ee_hooks_transform_sent_and_received_frames_in_a_require_e2ee_room() => FailureLogs.RunAsync(_output, async () =>
    {
        var media = TestEnvironment.NewFolder("media");
        var speech = await SpeechSynth.WriteWavAsync("Encrypted speech check. One two three four five.", FliteVoice.Awb, SpeechSynth.WebRtcRate, media);
        var room = await _janus.CreateRoomAsync(requireE2ee: true);
        var e2ee = new ParticipantE2eeOptions { Module = "/transforms/xor-worker.js", Options = new Dictionary<string, object> { ["key"] = 0x5A } };
        // Both browsers start together: a Chromium launch is the slowest step on a loaded machine.
        var launches = new[] { _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "e2ee-talker", FakeAudioWav = speech }), _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "e2ee-listener" }) };
        await Task.WhenAll(launches);
        await using var talker = launches[0].Result;
        await using var listener = launches[1].Result;

        var published = await talker.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "talker", PublishAudio = true, E2ee = e2ee });
        Assert.True(published.Ok, published.Error);
        var joined = await listener.JoinAsync(new ParticipantJoinOptions { Server = _janus.HttpUri.ToString(), Room = room, Display = "listener", Subscribe = true, E2ee = e2ee });
        Assert.True(joined.Ok, joined.Error);

        var stats = await listener.WaitForStatsAsync(s => s.TransformedFrames.GetValueOrDefault("decrypt") >= 100 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(45));
        var talkerStats = await talker.GetStatsAsync();
        _output.WriteLine("listener: " + stats);
        _output.WriteLine("talker: " + talkerStats);

        // Frames went through both transforms, and XOR undone on receive gives decodable speech.
        Assert.True(talkerStats.TransformedFrames.GetValueOrDefault("encrypt") >= 100, talkerStats.ToString());
        Assert.True(stats.TransformedFrames.GetValueOrDefault("decrypt") >= 100, stats.ToString());
        Assert.True(stats.AudioIn.TotalAudioEnergy > 0.01, stats.ToString());
    }, _janus, _browser);
}
