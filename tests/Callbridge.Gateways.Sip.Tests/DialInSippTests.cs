using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.PhoneMedia;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Sip;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>Dial-in against the real sipp (inside the network namespace) with the project's own scenarios:
/// PIN digits from sipp's RFC 4733 pcaps, lockout, E2EE refusal, CANCEL, hold/resume, malformed requests.</summary>
public sealed class DialInSippTests(SippFixture sipp, ITestOutputHelper output) : IClassFixture<SippFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private async Task<int> RunScenarioAsync(BridgeHarness bridge, string scenario, string number)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario);
        File.Copy(source, Path.Combine(sipp.Folder, scenario), overwrite: true);
        return await sipp.RunAsync(new SippOptions
        {
            Scenario = scenario,
            Name = Path.GetFileNameWithoutExtension(scenario),
            Target = bridge.Runtime.LocalEndPoint,
            Service = number,
            Timeout = Limit,
        });
    }

    private Task RunAsync(Func<Task> body) => FailureLogs.RunAsync(output, body, sipp);

    [Fact]
    public Task RightPinFromRfc4733DigitsJoinsTheConferenceUnderAMaskedName() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_pin.xml", BridgeHarness.PinNumber));
        var call = Assert.Single(bridge.Calls);
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        var session = Assert.Single(bridge.CallSessions);
        Assert.Equal(new ConferenceJoinRequest(BridgeHarness.ConferenceId, "Phone •••••••1234", BotRole.SubscriberAndPublisher), session.Request);
        var publication = Assert.Single(session.Publications);
        Assert.True(publication.Samples48k > 2 * 48000, $"caller audio published as Opus: {publication.Samples48k / 48.0:F0} ms in {publication.Packets.Count} packets in ~6 s");
        Assert.True(session.HasLeft);
        // The room's audio came through one subscribe-only session, closed when its only call left.
        var audio = Assert.Single(bridge.AudioSessions);
        Assert.Equal(new ConferenceJoinRequest(BridgeHarness.ConferenceId, RoomAudioHub.DisplayName, BotRole.Subscriber), audio.Request);
        Assert.True(Assert.Single(audio.Subscriptions).Disposed);
        Assert.True(audio.HasLeft);
        Assert.Empty(session.Subscriptions);
        Assert.Equal(5, call.FinalRtpStatistics!.DigitsReceived);
        var decision = Assert.Single(bridge.Audit.Query(BridgeHarness.ConferenceId));
        Assert.Equal((GatewayKind.PstnDialIn, CapabilityOutcome.Allow), (decision.Kind, decision.Outcome));
    });

    [Fact]
    public Task PinSentAsSipInfoIsAcceptedToo() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_pin_info.xml", BridgeHarness.PinNumber));
        var call = Assert.Single(bridge.Calls);
        Assert.Equal(GatewayRunState.Stopped, (await call.Completion.WaitAsync(TimeSpan.FromSeconds(10))).FinalState);
        Assert.Single(bridge.CallSessions);
        Assert.Equal(5, call.FinalRtpStatistics!.DigitsReceived);
    });

    [Fact]
    public Task ThreeWrongPinsLockTheCallerOutAndTheNextCallHearsItAtOnce() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_wrong_pin.xml", BridgeHarness.PinNumber));
        Assert.True(bridge.Listener.Lockout.IsLockedOut("+15550001234"));
        Assert.Empty(bridge.Conference.Sessions);
        var first = await bridge.Calls[0].Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GatewayRunState.Failed, first.FinalState);

        // The same caller again: the lockout prompt plays at once (no PIN prompt), then the BYE.
        var started = DateTime.UtcNow;
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_locked.xml", BridgeHarness.PinNumber));
        var second = bridge.Calls[1];
        await second.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        var lockedOut = PromptLibrary.Default.DurationOf(PhonePrompt.LockedOut);
        Assert.True(second.FinalRtpStatistics!.PacketsSent * 20 >= lockedOut.TotalMilliseconds * 0.9,
            $"{second.FinalRtpStatistics.PacketsSent} packets for a {lockedOut.TotalMilliseconds} ms prompt");
        Assert.Empty(bridge.Conference.Sessions);
        output.WriteLine($"second call lasted {(DateTime.UtcNow - started).TotalSeconds:F1} s");
    });

    [Fact]
    public Task E2eeConferenceIsAnsweredRefusedAloudAndHungUpWithTheReasonCode() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness(requiresE2ee: true);
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_e2ee.xml", BridgeHarness.OpenNumber));
        var call = Assert.Single(bridge.Calls);
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReasonCodes.RoomPolicy, outcome.ReasonCode);
        Assert.Empty(bridge.Conference.Sessions);
        var refusal = PromptLibrary.Default.DurationOf(PhonePrompt.E2eeRefused);
        Assert.True(call.FinalRtpStatistics!.PacketsSent * 20 >= refusal.TotalMilliseconds * 0.9,
            $"{call.FinalRtpStatistics.PacketsSent} packets for a {refusal.TotalMilliseconds} ms prompt");
        var entry = Assert.Single(bridge.Audit.Query(BridgeHarness.ConferenceId));
        Assert.Equal((GatewayKind.PstnDialIn, GatewayPhase.AboutToJoin, CapabilityOutcome.Refuse, ReasonCodes.RoomPolicy, true),
            (entry.Kind, entry.Phase, entry.Outcome, entry.ReasonCode, entry.E2ee.RoomRequiresE2ee));
    });

    [Fact]
    public Task LeaveNowOrderPlaysThePromptThenByeWithTheReasonCode() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        var sippRun = RunScenarioAsync(bridge, "dialin_leave.xml", BridgeHarness.OpenNumber);
        var call = await WaitJoinedAsync(bridge);
        var decision = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.PstnDialIn, GatewayPhase.Running),
            ConferenceE2eeState.Clear.WithHostToggle(true, DateTimeOffset.UtcNow), TenantPolicy.Open);
        var now = DateTimeOffset.UtcNow;
        var confirmation = await call.LeaveNowAsync(new Negotiation.Leave.LeaveNowOrder(BridgeHarness.ConferenceId, call.GatewayId, GatewayKind.PstnDialIn, decision, now, now.AddSeconds(30)), CancellationToken.None);
        Assert.Equal((ReasonCodes.EnabledMidCall, "SIP Reason header", true), (confirmation.ReasonCode, confirmation.ReasonRecordedIn, confirmation.FinalizedPriorOutput));
        Assert.Equal(0, await sippRun);
        var outcome = await call.Completion;
        Assert.Equal((GatewayRunState.LeftForE2ee, ReasonCodes.EnabledMidCall), (outcome.FinalState, outcome.ReasonCode));
        Assert.True(Assert.Single(bridge.CallSessions).HasLeft);
        // The media stopped at the order: the prompt was all the phone got afterwards.
        Assert.True(confirmation.MediaStoppedAt <= DateTimeOffset.UtcNow);
    });

    [Fact]
    public Task RoomTurningE2eeMidCallMakesTheDialInLeaveOnItsOwn() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        var sippRun = RunScenarioAsync(bridge, "dialin_leave.xml", BridgeHarness.OpenNumber);
        var call = await WaitJoinedAsync(bridge);
        Assert.Single(bridge.CallSessions).SetPolicy(true);
        Assert.Equal(0, await sippRun);
        var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((GatewayRunState.LeftForE2ee, ReasonCodes.RoomPolicy), (outcome.FinalState, outcome.ReasonCode));
        var entries = bridge.Audit.Query(BridgeHarness.ConferenceId);
        Assert.Equal([(GatewayPhase.AboutToJoin, CapabilityOutcome.Allow), (GatewayPhase.Running, CapabilityOutcome.LeaveNow)],
            entries.Select(e => (e.Phase, e.Outcome)));
    });

    [Fact]
    public Task AnEncryptedTrackInTheRoomsSharedAudioMakesEveryCallOfTheRoomLeaveWithThePromptAndBye() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "dialin_leave.xml"), Path.Combine(sipp.Folder, "dialin_leave.xml"), overwrite: true);
        Task<int>[] phones = [.. Enumerable.Range(0, 2).Select(i => sipp.RunAsync(new SippOptions
        {
            Scenario = "dialin_leave.xml",
            Name = "dialin_leave_room" + i,
            Target = bridge.Runtime.LocalEndPoint,
            Service = BridgeHarness.OpenNumber,
            Timeout = Limit,
        }))];
        var until = DateTime.UtcNow.AddSeconds(30);
        while (bridge.Calls.Count(c => c.State == GatewayRunState.Running) < 2)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the two dial-ins did not join");
            await Task.Delay(50);
        }

        // One subscription for both calls; a browser participant's track turns out to be E2EE.
        var audio = Assert.Single(bridge.AudioSessions);
        audio.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"));
        audio.MarkEncrypted("alice/a");

        // Each phone got the BYE with Reason SIP 603 and an e2ee.* code (the scenario checks it), after the prompt.
        Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(phones));
        foreach (var call in bridge.Calls)
        {
            var outcome = await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(GatewayRunState.LeftForE2ee, outcome.FinalState);
            Assert.StartsWith("e2ee.", outcome.ReasonCode, StringComparison.Ordinal);
            var prompt = PromptLibrary.Default.DurationOf(PhonePrompt.E2eeTurnedOn);
            Assert.True(call.FinalRtpStatistics!.PacketsSent * 20 >= prompt.TotalMilliseconds * 0.9,
                $"{call.FinalRtpStatistics.PacketsSent} packets for a {prompt.TotalMilliseconds} ms prompt");
        }
        Assert.All(bridge.CallSessions, s => Assert.True(s.HasLeft));
        Assert.True(audio.HasLeft);
        Assert.Equal(2, bridge.Audit.Query(BridgeHarness.ConferenceId).Count(e => e.Outcome == CapabilityOutcome.LeaveNow));
    });

    private static async Task<DialInCall> WaitJoinedAsync(BridgeHarness bridge)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (bridge.Calls.Count == 0 || bridge.Calls[0].State != GatewayRunState.Running)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the dial-in did not join");
            await Task.Delay(50);
        }
        return bridge.Calls[0];
    }

    [Fact]
    public Task CancelBeforeAnswerGets487AndNothingJoins() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness(probeDelay: TimeSpan.FromSeconds(2));
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_cancel.xml", BridgeHarness.PinNumber));
        var outcome = await Assert.Single(bridge.Calls).Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Empty(bridge.Conference.Sessions);
        Assert.Empty(bridge.Audit.Query(BridgeHarness.ConferenceId));
    });

    [Fact]
    public Task HoldAndResumeReinvitesAreAnsweredWithTheMirroredDirection() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_hold.xml", BridgeHarness.OpenNumber));
        var outcome = await Assert.Single(bridge.Calls).Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Single(bridge.CallSessions);
    });

    [Fact]
    public Task MalformedRequestsGet400OversizedOnes513AndTheNextCallIsServed() => RunAsync(async () =>
    {
        await using var bridge = new BridgeHarness();
        await bridge.StartAsync();
        Assert.Equal(0, await RunScenarioAsync(bridge, "dialin_malformed.xml", BridgeHarness.OpenNumber));
        var outcome = await Assert.Single(bridge.Calls).Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
    });
}
