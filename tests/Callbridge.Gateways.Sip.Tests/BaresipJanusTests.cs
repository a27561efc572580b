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

/// <summary>The whole bridge with real peers inside the network namespace: baresip dials in through our SIP
/// stack into a real Janus room where a headless Chromium participant talks and listens.</summary>
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
        string phoneWav = await PhoneSpeechAsync(folder, "Hello from the phone. I am calling from the airport, and I can hear all of you very well.", 4, 4);

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
            RunFor = TimeSpan.FromSeconds(30),
        });

        // The phone's speech reaches the Chromium participant through the bridge (Opus published into Janus).
        var stats = await alice.WaitForStatsAsync(s => s.AudioIn.PacketsReceived > 200 && s.AudioIn.TotalAudioEnergy > 0.01, TimeSpan.FromSeconds(40));
        output.WriteLine("alice: " + stats);
        var call = Assert.Single(bridge.Calls);
        Assert.Equal(GatewayRunState.Running, call.State);
        Assert.Single(bridge.Audit.Query(room.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await phone.WaitForExitAsync(TimeSpan.FromSeconds(45));
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
        // baresip logs the Reason of the BYE that closed the call.
        string log = File.ReadAllText(phone.LogPaths.Single());
        output.WriteLine(string.Join('\n', log.Split('\n').Where(l => l.Contains("closed", StringComparison.OrdinalIgnoreCase) || l.Contains("reason", StringComparison.OrdinalIgnoreCase))));
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
