using System.Text;
using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;
using Callbridge.Speech.Metrics;
using Callbridge.Storage;
using Callbridge.Storage.Local;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Captions.Tests;

/// <summary>The gateway against a scripted conference, with the real PocketSphinx engine.</summary>
public sealed class CaptionsGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _folder = TestEnvironment.NewFolder("captions-gateway");
    private readonly CaptionsOptions _options = new() { MaxSpeakers = 2 };
    private CaptionsEngine _engine = null!;
    private LocalFolderBlobSink _sink = null!;

    public Task InitializeAsync()
    {
        _engine = new CaptionsEngine(_options);
        _sink = new LocalFolderBlobSink(Path.Combine(_folder, "blobs"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private CaptionsGatewayFactory Factory(IConferenceConnector connector) => new(connector, _sink, Options.Create(_options), _engine);

    [Fact]
    public async Task CaptionsEachSpeakerAndStoresTheTranscriptWhenStopped()
    {
        var conference = new ScriptedConference("1234");
        var observer = new CaptionsObserver();
        IGateway gateway = await Factory(conference).StartAsync(new GatewayLaunch("t1", "1234", "cap-1", null, observer), CancellationToken.None);
        ScriptedConferenceSession session = Assert.Single(conference.Sessions);
        Assert.Equal(BotRole.Subscriber, session.Request.Role);
        Assert.Equal(GatewayRunState.Running, gateway.State);
        Assert.Equal(GatewayKind.ServerCaptions, gateway.Kind);
        session.Join("p-ann", "Ann", ("0", TrackKind.Audio, "opus"), ("1", TrackKind.Video, "vp8"));
        session.Join("p-rob", "Rob", ("0", TrackKind.Audio, "opus"));
        // Audio only: the video track is not subscribed.
        ScriptedSubscription subscription = Assert.Single(session.Subscriptions);
        Assert.Equal(["p-ann/0", "p-rob/0"], subscription.Tracks.Select(t => t.TrackId).Order(StringComparer.Ordinal));

        string annText = "The meeting will start in five minutes.";
        string robText = "Please call me back when you are ready.";
        short[] ann = await OpusPackets.SayAsync(annText, FliteVoice.Slt, _folder);
        short[] rob = await OpusPackets.SayAsync(robText, FliteVoice.Rms, _folder);
        short[] pause = OpusPackets.Silence(TimeSpan.FromSeconds(1));
        List<byte[]> annTrack = OpusPackets.Encode([.. pause, .. ann, .. pause, .. new short[rob.Length], .. pause]);
        List<byte[]> robTrack = OpusPackets.Encode([.. pause, .. new short[ann.Length], .. pause, .. rob, .. pause]);
        for (int f = 0; f < annTrack.Count; f++)
        {
            session.Deliver("p-ann/0", annTrack[f], (uint)(f * 960));
            session.Deliver("p-rob/0", robTrack[f], (uint)(5000 + f * 960));
            if (f % 10 == 9)
            {
                await Task.Delay(100);
            }
        }

        GatewayOutcome outcome = await gateway.StopAsync(CancellationToken.None);
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Null(outcome.ReasonCode);
        Assert.Equal(["t1/1234/cap-1/transcript.vtt", "t1/1234/cap-1/transcript.json"], outcome.Outputs);
        Assert.Contains("2 speaker(s)", outcome.Summary, StringComparison.Ordinal);
        Assert.True(session.HasLeft);

        var captions = observer.Captions.Select(c => c.Caption).ToList();
        foreach ((string id, string name, string text) in new[] { ("p-ann", "Ann", annText), ("p-rob", "Rob", robText) })
        {
            var mine = captions.Where(c => c.ParticipantId == id).ToList();
            Assert.All(mine, c => Assert.Equal(name, c.DisplayName));
            Assert.Contains(mine, c => !c.IsFinal);
            string finals = string.Join(' ', mine.Where(c => c.IsFinal).Select(c => c.Text));
            Assert.True(WordErrorRate.Compute(text, finals).Rate <= 0.25, $"{name}: '{finals}'");
        }

        string vtt = Encoding.UTF8.GetString((await _sink.GetAsync("t1/1234/cap-1/transcript.vtt", CancellationToken.None))!);
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        Assert.Contains("<v Ann>", vtt, StringComparison.Ordinal);
        Assert.Contains("<v Rob>", vtt, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse((await _sink.GetAsync("t1/1234/cap-1/transcript.json", CancellationToken.None))!);
        Assert.Equal("Stopped through the API.", json.RootElement.GetProperty("stop").GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("stop").GetProperty("reasonCode").ValueKind);
        Assert.Equal(captions.Count(c => c.IsFinal && c.Text.Length > 0), json.RootElement.GetProperty("captions").GetArrayLength());
        Assert.Equal([GatewayRunState.Running, GatewayRunState.Stopping, GatewayRunState.Stopped], observer.States.Select(s => s.State));
    }

    [Fact]
    public async Task LeaveNowStopsAtOnceAndTheTranscriptSaysFromWhenAndWhy()
    {
        var conference = new ScriptedConference("77");
        var observer = new CaptionsObserver();
        IGateway gateway = await Factory(conference).StartAsync(new GatewayLaunch("t1", "77", "cap-2", null, observer), CancellationToken.None);
        ScriptedConferenceSession session = conference.Sessions[0];
        session.Join("p-ann", "Ann", ("0", TrackKind.Audio, "opus"));
        short[] ann = await OpusPackets.SayAsync("I would like a cup of hot coffee.", FliteVoice.Slt, _folder);
        List<byte[]> packets = OpusPackets.Encode([.. OpusPackets.Silence(TimeSpan.FromSeconds(0.5)), .. ann, .. OpusPackets.Silence(TimeSpan.FromSeconds(1)), .. ann]);
        int half = packets.Count * 3 / 4;
        for (int f = 0; f < half; f++)
        {
            session.Deliver("p-ann/0", packets[f], (uint)(f * 960));
        }

        await observer.WaitForAsync(o => o.Captions.Any(c => c.Caption.IsFinal), Wait);
        var decision = new CapabilityDecision(CapabilityOutcome.LeaveNow, ReasonCodes.EnabledMidCall, "The host turned on end-to-end encryption.", null, null);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        LeaveConfirmation confirmation = await gateway.LeaveNowAsync(
            new LeaveNowOrder("77", "cap-2", GatewayKind.ServerCaptions, decision, now, now.AddSeconds(10)), CancellationToken.None);
        int delivered = observer.Captions.Count;
        for (int f = half; f < packets.Count; f++)
        {
            session.Deliver("p-ann/0", packets[f], (uint)(f * 960));
        }

        GatewayOutcome outcome = await gateway.Completion;
        await Task.Delay(300);
        Assert.Equal(delivered, observer.Captions.Count);
        Assert.Equal(ReasonCodes.EnabledMidCall, confirmation.ReasonCode);
        Assert.Equal("transcript", confirmation.ReasonRecordedIn);
        Assert.True(confirmation.FinalizedPriorOutput);
        Assert.InRange(confirmation.MediaStoppedAt, now, DateTimeOffset.UtcNow);
        Assert.Equal(GatewayRunState.LeftForE2ee, outcome.FinalState);
        Assert.Equal(ReasonCodes.EnabledMidCall, outcome.ReasonCode);
        using JsonDocument json = JsonDocument.Parse((await _sink.GetAsync("t1/77/cap-2/transcript.json", CancellationToken.None))!);
        JsonElement stop = json.RootElement.GetProperty("stop");
        Assert.Equal(ReasonCodes.EnabledMidCall, stop.GetProperty("reasonCode").GetString());
        Assert.True(stop.GetProperty("immediate").GetBoolean());
        Assert.Equal("The host turned on end-to-end encryption.", stop.GetProperty("detail").GetString());
        Assert.InRange(stop.GetProperty("wallClock").GetDateTimeOffset(), now.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.True(json.RootElement.GetProperty("captions").GetArrayLength() >= 1);
        string vtt = Encoding.UTF8.GetString((await _sink.GetAsync("t1/77/cap-2/transcript.vtt", CancellationToken.None))!);
        Assert.Contains($"(reason {ReasonCodes.EnabledMidCall}): The host turned on end-to-end encryption.", vtt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptedFramesAreNeverDecodedAndTheVerdictIsReported()
    {
        var conference = new ScriptedConference("88");
        var observer = new CaptionsObserver();
        var gateway = (CaptionsGateway)await Factory(conference).StartAsync(new GatewayLaunch("t1", "88", "cap-3", null, observer), CancellationToken.None);
        ScriptedConferenceSession session = conference.Sessions[0];
        session.Join("p-eve", "Eve", ("0", TrackKind.Audio, "opus"));
        List<byte[]> packets = OpusPackets.Encode(await OpusPackets.SayAsync("The weather is going to be cold tomorrow.", FliteVoice.Awb, _folder));
        for (int f = 0; f < packets.Count; f++)
        {
            session.Deliver("p-eve/0", packets[f], (uint)(f * 960), looksEncrypted: true);
        }

        Assert.Equal(packets.Count, gateway.EncryptedFramesDropped);
        Assert.Empty(gateway.Pipeline.ActiveSpeakers);
        session.MarkEncrypted("p-eve/0", "jframe");
        Assert.Equal(("p-eve", "p-eve/0", "jframe"), Assert.Single(observer.Encrypted));
        // After the verdict nothing is taken, even frames that look clear.
        session.Deliver("p-eve/0", packets[0], 999_999);
        Assert.Empty(gateway.Pipeline.ActiveSpeakers);
        await gateway.StopAsync(CancellationToken.None);
        Assert.Empty(observer.Captions);
    }

    [Fact]
    public async Task AnE2eeRoomOrAMissingConferenceIsRefusedAtStart()
    {
        var e2ee = new ScriptedConference("5", requiresE2ee: true);
        var refused = await Assert.ThrowsAsync<GatewayStartException>(() =>
            Factory(e2ee).StartAsync(new GatewayLaunch("t", "5", "g", null, new CaptionsObserver()), CancellationToken.None));
        Assert.Equal("e2ee-required", refused.Code);
        Assert.True(e2ee.Sessions[0].HasLeft);
        var missing = await Assert.ThrowsAsync<GatewayStartException>(() =>
            Factory(new ScriptedConference("5")).StartAsync(new GatewayLaunch("t", "6", "g", null, new CaptionsObserver()), CancellationToken.None));
        Assert.Equal("conference-not-found", missing.Code);
    }

    [Fact]
    public async Task TheConferenceEndingStopsTheGatewayAndKeepsTheTranscript()
    {
        var conference = new ScriptedConference("99");
        var observer = new CaptionsObserver();
        IGateway gateway = await Factory(conference).StartAsync(new GatewayLaunch("t1", "99", "cap-4", null, observer), CancellationToken.None);
        conference.Sessions[0].End("destroyed");
        GatewayOutcome outcome = await gateway.Completion.WaitAsync(Wait);
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Equal(2, outcome.Outputs.Count);
        using JsonDocument json = JsonDocument.Parse((await _sink.GetAsync("t1/99/cap-4/transcript.json", CancellationToken.None))!);
        Assert.Contains("destroyed", json.RootElement.GetProperty("stop").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
