using System.Globalization;
using Callbridge.ClientCaptions.Keys;
using Callbridge.ClientCaptions.Media;
using Callbridge.ClientCaptions.Tests.Support;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.ClientCaptions.Tests.Real;

/// <summary>
/// End-to-end encrypted conferences on a real Janus (Debian janus) with real Chromium participants whose pages run
/// the JFrame transform in an RTCRtpScriptTransform worker; client-side captions with the real PocketSphinx engine.
/// </summary>
public sealed class E2eeConferenceTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>, IDisposable
{
    private const string K0 = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
    private const string K1 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    private const string Wrong = "5555555555555555555555555555555555555555555555555555555555555555";
    private const string Sentence = "the weather is nice today";
    private static readonly string[] SentenceWords = ["weather", "nice", "today"];

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _http.Dispose();

    private JanusConferenceConnector Connector() => new(_http, new JanusConferenceOptions
    {
        JanusUri = janus.HttpUri,
        PolicyPollInterval = TimeSpan.FromSeconds(1),
        IceInterfaces = [TestEnvironment.TestInterface],
        IceAddresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    });

    [Fact]
    public Task In_a_require_e2ee_room_server_captions_are_refused_and_only_the_participant_with_the_key_gets_captions() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync(requireE2ee: true);
        string folder = TestEnvironment.NewFolder("e2ee-captions");
        await using BrowserParticipant alice = await PublishAsync("alice", room, folder, ("0", K0));

        // The server captions bot asks before joining: the real probe says the room requires E2EE, the negotiator refuses.
        ConferenceProbe probe = await Connector().ProbeAsync(room.ToString(CultureInfo.InvariantCulture), default);
        Assert.True(probe.RequiresE2ee);
        var negotiator = new CapabilityNegotiator(new InMemoryDecisionAuditLog(), TimeProvider.System);
        CapabilityDecision decision = negotiator.Decide(probe.ConferenceId, "server-captions", GatewayRequest.For(GatewayKind.ServerCaptions, GatewayPhase.AboutToJoin),
            new ConferenceE2eeState(probe.RequiresE2ee, 0, 0, E2eeToggle.NeverToggled, null), TenantPolicy.Open);
        output.WriteLine("negotiator: " + decision.HostMessage);
        Assert.Equal(CapabilityOutcome.Refuse, decision.Outcome);
        Assert.Equal(ReasonCodes.RoomPolicy, decision.ReasonCode);
        Assert.Equal(AlternativeOffer.ClientSideCaptionsCode, decision.Alternative?.Code);

        // Two participants run client-side captions at once: one holds the conference key, one a wrong key.
        Task<(ClientCaptionsResult, RecordingOutput)> right = RunCaptionsAsync(room, $"0={K0}", TimeSpan.FromSeconds(14));
        Task<(ClientCaptionsResult, RecordingOutput)> wrong = RunCaptionsAsync(room, $"0={Wrong}", TimeSpan.FromSeconds(14));
        var (rightResult, rightOutput) = await right;
        var (wrongResult, wrongOutput) = await wrong;
        output.WriteLine("--- with the key ---\n" + rightOutput.Text + "--- with a wrong key ---\n" + wrongOutput.Text);

        string speaker = Assert.Single(rightResult.Speakers.Keys);
        Assert.True(rightResult.Speakers[speaker].Decrypted > 100, rightResult.Speakers[speaker].ToString());
        string finals = string.Join(' ', rightOutput.Captions.Where(c => c.IsFinal).Select(c => c.Text));
        Assert.True(Words.Matched(finals, SentenceWords) >= 2, rightOutput.Text);
        Assert.Contains(rightOutput.Text.Split('\n'), l => l.StartsWith("alice: ", StringComparison.Ordinal));
        Assert.Empty(rightOutput.CannotDecryptReports);

        Assert.DoesNotContain(wrongOutput.Captions, c => c.Text.Length > 0);
        var report = Assert.Single(wrongOutput.CannotDecryptReports);
        Assert.Equal(speaker, report.Participant);
        Assert.Equal(0, wrongResult.Speakers[speaker].Decrypted);
        Assert.Equal(UndecryptableReason.WrongKey, wrongResult.Speakers[speaker].LastUndecryptableReason);
        Assert.Single(wrongOutput.Text.Split('\n'), l => l.Contains("Cannot decrypt alice's media", StringComparison.Ordinal));
    }, janus, browser);

    [Fact]
    public Task Captions_continue_when_the_speaker_ratchets_and_then_rotates_to_a_new_key_index() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync(requireE2ee: true);
        string folder = TestEnvironment.NewFolder("e2ee-rotation");
        await using BrowserParticipant alice = await PublishAsync("alice", room, folder, ("0", K0));
        string keyFile = Path.Combine(folder, "conference.key");
        await File.WriteAllTextAsync(keyFile, $"0={K0}\n");

        using var engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 1 });
        var captions = new RecordingOutput();
        using var stop = new CancellationTokenSource();
        Task<ClientCaptionsResult> run = ClientCaptionsSession.RunAsync(Connector(), new StreamingRecognizer(engine),
            ConferenceKeySource.FromFile(keyFile, TimeSpan.FromMilliseconds(200)),
            new ClientCaptionsOptions { ConferenceId = room.ToString(CultureInfo.InvariantCulture), DisplayName = "dana-captions", WebVttPath = Path.Combine(folder, "dana.vtt") },
            captions, cancellationToken: stop.Token);

        await WaitForFinalsAsync(captions, 1, TimeSpan.FromSeconds(20), run);
        // Someone joined: Alice ratchets under index 0; the module follows by ratchet-on-failure.
        await ChromiumE2ee.RatchetAsync(alice);
        int afterRatchet = captions.Captions.Count(c => c.IsFinal && c.Text.Length > 0);
        await WaitForFinalsAsync(captions, afterRatchet + 1, TimeSpan.FromSeconds(20), run);

        // Someone left: the new key reaches the participant's key file, then Alice switches to index 1.
        await File.AppendAllTextAsync(keyFile, $"1={K1}\n");
        await WaitUntilAsync(() => captions.Text.Contains("Added conference key index 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await ChromiumE2ee.RotateAsync(alice, 1, K1);
        int afterRotation = captions.Captions.Count(c => c.IsFinal && c.Text.Length > 0);
        await WaitForFinalsAsync(captions, afterRotation + 1, TimeSpan.FromSeconds(20), run);
        await stop.CancelAsync();
        ClientCaptionsResult result = await run;
        output.WriteLine(captions.Text);

        var finals = captions.Captions.Where(c => c.IsFinal && c.Text.Length > 0).Select(c => c.Text).ToList();
        Assert.True(Words.Matched(string.Join(' ', finals.Skip(afterRatchet)), SentenceWords) >= 2, "after the ratchet: " + captions.Text);
        Assert.True(Words.Matched(string.Join(' ', finals.Skip(afterRotation)), SentenceWords) >= 2, "after the rotation: " + captions.Text);
        Assert.Empty(captions.CannotDecryptReports);
        SpeakerFrameStatistics stats = Assert.Single(result.Speakers.Values);
        // Frames in flight while the new key reached the module may drop; captions must not.
        Assert.True(stats.Undecryptable < 25, stats.ToString());
        Assert.True(stats.Ratcheted >= 1, "the module never had to ratchet: " + stats);
        Assert.Equal(1, stats.LastKeySlot);
    }, janus, browser);

    [Fact]
    public Task A_CSharp_publisher_encrypting_with_JFrame_is_heard_by_a_Chromium_subscriber_with_the_key_and_not_by_one_without() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync();
        string folder = TestEnvironment.NewFolder("e2ee-csharp-publisher");
        var speech = await SpeechPackets.SpeakAsync(Sentence, FliteVoice.Slt, 0.5);
        string module = ChromiumE2ee.ServeWorker(browser);

        using var sender = new JFrameSender();
        sender.SetKey(Convert.FromHexString(K0), 0);
        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(CultureInfo.InvariantCulture), "csharp-speaker", BotRole.SubscriberAndPublisher), default);
        await using IConferenceAudioPublication publication = await bot.PublishAudioAsync(new AudioPublicationOptions(sender.Transform, JFrameSender.MaxOverhead), default);

        await using BrowserParticipant keyed = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "keyed" });
        await using BrowserParticipant keyless = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "keyless" });
        foreach (var (participant, e2ee) in new[] { (keyed, ChromiumE2ee.Options(module, (0, K0))), (keyless, ChromiumE2ee.Options(module)) })
        {
            ParticipantJoinResult joined = await participant.JoinAsync(new ParticipantJoinOptions
            {
                Server = janus.HttpUri.ToString(), Room = room, Display = participant.Name, Subscribe = true, E2ee = e2ee,
            });
            Assert.True(joined.Ok, joined.Error);
        }

        // Real time: one 20 ms packet per tick, the sentence over and over for 8 s.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < 400; i++)
        {
            publication.TrySendOpus(speech[i % speech.Count]);
            await timer.WaitForNextTickAsync();
        }

        ParticipantStats heard = await keyed.WaitForStatsAsync(s => s.AudioIn.TotalAudioEnergy > 0, TimeSpan.FromSeconds(10));
        ParticipantStats deaf = await keyless.GetStatsAsync();
        output.WriteLine($"sender: {sender.FramesEncrypted} encrypted, {sender.FramesDropped} dropped");
        output.WriteLine("with the key: " + heard);
        output.WriteLine("without the key: " + deaf);
        Assert.True(sender.FramesEncrypted >= 300);
        Assert.True(heard.AudioIn.PacketsReceived > 100, heard.ToString());
        Assert.True(heard.AudioIn.TotalAudioEnergy > 0, heard.ToString());
        Assert.True(heard.TransformedFrames.GetValueOrDefault("decrypt") > 0, heard.ToString());
        Assert.True(deaf.AudioIn.PacketsReceived > 100, deaf.ToString());
        Assert.Equal(0, deaf.AudioIn.TotalAudioEnergy);
        Assert.True(deaf.TransformedFrames.GetValueOrDefault("dropped") > 0, deaf.ToString());
        Assert.Equal(0, deaf.TransformedFrames.GetValueOrDefault("decrypt"));
    }, janus, browser);

    /// <summary>A Chromium participant publishing looped flite speech through the JFrame sender transform.</summary>
    private async Task<BrowserParticipant> PublishAsync(string name, long room, string folder, params (string Index, string Hex)[] keys)
    {
        string module = ChromiumE2ee.ServeWorker(browser);
        string wav = await SpeechSynth.WriteWavAsync(Sentence, FliteVoice.Slt, SpeechSynth.WebRtcRate, folder, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5));
        BrowserParticipant participant = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = name, FakeAudioWav = wav });
        ParticipantJoinResult joined = await participant.JoinAsync(new ParticipantJoinOptions
        {
            Server = janus.HttpUri.ToString(),
            Room = room,
            Display = name,
            PublishAudio = true,
            E2ee = ChromiumE2ee.Options(module, [.. keys.Select(k => (int.Parse(k.Index, CultureInfo.InvariantCulture), k.Hex))]),
        });
        Assert.True(joined.Ok, $"{joined.ErrorCode}: {joined.Error}");
        ParticipantStats sending = await participant.WaitForStatsAsync(s => s.Out.PacketsSent > 25 && s.TransformedFrames.GetValueOrDefault("encrypt") > 0, TimeSpan.FromSeconds(15));
        Assert.True(sending.TransformedFrames.GetValueOrDefault("encrypt") > 0, sending.ToString());
        return participant;
    }

    private async Task<(ClientCaptionsResult, RecordingOutput)> RunCaptionsAsync(long room, string keyText, TimeSpan duration)
    {
        using var engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 1 });
        var captions = new RecordingOutput();
        ClientCaptionsResult result = await ClientCaptionsSession.RunAsync(Connector(), new StreamingRecognizer(engine),
            ConferenceKeySource.FromReader(new StringReader(keyText + "\n"), "the test's key"),
            new ClientCaptionsOptions { ConferenceId = room.ToString(CultureInfo.InvariantCulture), DisplayName = "captions", Duration = duration },
            captions);
        return (result, captions);
    }

    private static async Task WaitForFinalsAsync(RecordingOutput captions, int count, TimeSpan timeout, Task run)
    {
        await WaitUntilAsync(() => run.IsCompleted || captions.Captions.Count(c => c.IsFinal && c.Text.Length > 0) >= count, timeout);
        if (run.IsFaulted)
        {
            await run;
        }

        Assert.False(run.IsCompleted, "captions stopped early: " + captions.Text);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }
}
