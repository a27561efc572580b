using Callbridge.Conference;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The follower every gateway shares: what the host hears about the room's policy and when intake stops.</summary>
public sealed class ConferenceFollowerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_the_host_hears_E2EE_intake_has_already_stopped(bool turnedBeforeTheLoopStarted)
    {
        var h = new Harness(configure: o => o.Composite = false);
        IGateway gateway = await h.StartAsync();
        var conference = new ScriptedConference(Harness.ConferenceId);
        var session = (ScriptedConferenceSession)await conference.JoinAsync(new ConferenceJoinRequest(Harness.ConferenceId, "bot", BotRole.Subscriber), default);
        var observer = new PolicyWitness();
        var follower = new ConferenceFollower(gateway, session, observer, TimeProvider.System, NullLogger.Instance);
        observer.Follower = follower;
        // The policy turns before the events loop reads anything: the session already says E2EE and its event
        // waits in the channel. Or it turns while the loop runs: only the event says so.
        if (turnedBeforeTheLoopStarted) session.SetPolicy(requiresE2ee: true);
        using var stop = new CancellationTokenSource();
        Task events = follower.RunEventsAsync(_ => { }, stop.Token);
        if (!turnedBeforeTheLoopStarted) session.SetPolicy(requiresE2ee: true);
        await RecordingGatewayTests.WaitUntilAsync(() => observer.Reports.Count >= 2);
        stop.Cancel();
        await events;

        Assert.Contains((true, false), observer.Reports);
        Assert.DoesNotContain((true, true), observer.Reports);
        Assert.False(follower.TakingMedia);
        await gateway.StopAsync(default);
    }

    /// <summary>Notes, at each policy report, whether the follower was still taking media.</summary>
    private sealed class PolicyWitness : IGatewayObserver
    {
        public ConferenceFollower? Follower { get; set; }

        public List<(bool RequiresE2ee, bool TakingMedia)> Reports { get; } = [];

        public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee)
        {
            lock (Reports) Reports.Add((requiresE2ee, Follower!.TakingMedia));
        }

        public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }

        public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }

        public void OnCaption(IGateway gateway, CaptionUpdate caption) { }

        public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
    }
}
