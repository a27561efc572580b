using System.Collections.Concurrent;
using Callbridge.Conference;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Sip;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>Dial-out through a "trunk" that is the real sipp (inside the network namespace): progress events,
/// the conference joined on answer, BYE on stop; busy reported and the tenant's slot returned.</summary>
public sealed class DialOutSippTests(SippFixture sipp, ITestOutputHelper output) : IClassFixture<SippFixture>
{
    private (SipDialOutGatewayFactory Factory, SipBridgeRuntime Runtime, ScriptedConference Conference) Create(SippInstance trunk)
    {
        var options = new SipBridgeOptions
        {
            ListenAddress = TestEnvironment.TestIp.ToString(),
            ListenPort = 0,
            Trunk = new TrunkOptions { OutboundProxy = trunk.SipEndpoint.ToString() },
            DialOut = new DialOutOptions { AllowedDestinations = ["+1555XXXXXXX"], MaxConcurrentCallsPerTenant = 1 },
        };
        var runtime = new SipBridgeRuntime(Options.Create(options), TimeProvider.System);
        var conference = new ScriptedConference("77");
        return (new SipDialOutGatewayFactory(runtime, conference, NullLoggerFactory.Instance), runtime, conference);
    }

    [Fact]
    public Task AnsweredCallJoinsTheConferenceAndStopSendsBye() => FailureLogs.RunAsync(output, async () =>
    {
        var trunk = sipp.Start(new SippOptions { Scenario = "uas", BuiltIn = true, Name = "trunk-uas", Timeout = TimeSpan.FromSeconds(40) });
        await trunk.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));
        var (factory, runtime, conference) = Create(trunk);
        await using var _ = runtime;
        var observer = new RecordingObserver();
        var gateway = await factory.StartAsync(new GatewayLaunch("t1", "77", "out-1", "+1 555 010 0199", observer), CancellationToken.None);
        Assert.Equal(GatewayRunState.Running, gateway.State);
        Assert.Equal("limit-reached", (await Assert.ThrowsAsync<GatewayStartException>(() =>
            factory.StartAsync(new GatewayLaunch("t1", "77", "out-2", "+15550100198", observer), CancellationToken.None))).Code);
        await observer.WaitForAsync(CallProgress.Answered, TimeSpan.FromSeconds(15));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!conference.Sessions.Any(s => s.Request.Role == BotRole.SubscriberAndPublisher) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var session = Assert.Single(conference.Sessions, s => s.Request.Role == BotRole.SubscriberAndPublisher);
        Assert.Equal(new ConferenceJoinRequest("77", "Phone •••••••0199", BotRole.SubscriberAndPublisher), session.Request);
        var outcome = await gateway.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Equal(0, await trunk.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([CallProgress.Dialing, CallProgress.Ringing, CallProgress.Answered], observer.Progress.Where(p => p != CallProgress.HungUp).Distinct());
        Assert.Equal(0, factory.Policy.ActiveCalls("t1"));
        Assert.True(session.HasLeft);
    }, sipp);

    [Fact]
    public Task BusyIsReportedAndTheSlotIsReturned() => FailureLogs.RunAsync(output, async () =>
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "uas_busy.xml"), Path.Combine(sipp.Folder, "uas_busy.xml"), overwrite: true);
        var trunk = sipp.Start(new SippOptions { Scenario = "uas_busy.xml", Name = "trunk-busy", Timeout = TimeSpan.FromSeconds(30) });
        await trunk.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));
        var (factory, runtime, conference) = Create(trunk);
        await using var _ = runtime;
        var observer = new RecordingObserver();
        var gateway = await factory.StartAsync(new GatewayLaunch("t1", "77", "out-3", "+15550100199", observer), CancellationToken.None);
        var outcome = await gateway.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(GatewayRunState.Failed, outcome.FinalState);
        Assert.Contains(CallProgress.Busy, observer.Progress);
        Assert.DoesNotContain(CallProgress.Answered, observer.Progress);
        Assert.Empty(conference.Sessions);
        Assert.Equal(0, factory.Policy.ActiveCalls("t1"));
        Assert.Equal(0, await trunk.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }, sipp);

    private sealed class RecordingObserver : IGatewayObserver
    {
        private readonly ConcurrentQueue<CallProgress> _progress = new();

        public IReadOnlyList<CallProgress> Progress => [.. _progress];

        public async Task WaitForAsync(CallProgress p, TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            while (!_progress.Contains(p))
            {
                if (DateTime.UtcNow > until) throw new TimeoutException($"no {p}; saw {string.Join(",", _progress)}");
                await Task.Delay(20);
            }
        }

        public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }
        public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }
        public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) { }
        public void OnCaption(IGateway gateway, CaptionUpdate caption) { }
        public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) => _progress.Enqueue(progress);
    }
}
