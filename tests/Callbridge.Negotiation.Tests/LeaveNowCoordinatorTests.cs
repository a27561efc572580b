using System.Collections.Concurrent;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Leave;
using Callbridge.Negotiation.Tests.Support;

namespace Callbridge.Negotiation.Tests;

public sealed class LeaveNowCoordinatorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryDecisionAuditLog _audit = new();
    private readonly ConcurrentQueue<LeaveNowOrder> _forced = new();
    private readonly ConcurrentQueue<LeaveOutcome> _outcomes = new();

    private LeaveNowCoordinator Create(TimeSpan? deadline = null) => new(_audit, _time,
        (order, _) => { _forced.Enqueue(order); return ValueTask.CompletedTask; },
        new LeaveNowCoordinatorOptions { ConfirmDeadline = deadline ?? TimeSpan.FromSeconds(10), OnOutcome = _outcomes.Enqueue });

    private static GatewayRegistration Reg(string conf, string id, GatewayKind kind, IE2eeLeaveHandler handler) =>
        new(conf, id, kind, kind != GatewayKind.PresenceOnly, handler);

    [Fact]
    public async Task Turning_e2ee_on_orders_every_media_gateway_out_exactly_once()
    {
        await using LeaveNowCoordinator coordinator = Create();
        var rec = new GatewayStandIn("rec", _time);
        var sip = new GatewayStandIn("sip", _time);
        var bot = new GatewayStandIn("bot", _time);
        Assert.Null(await coordinator.RegisterAsync(Reg("c1", "rec", GatewayKind.Recording, rec)));
        Assert.Null(await coordinator.RegisterAsync(Reg("c1", "sip", GatewayKind.PstnDialIn, sip)));
        Assert.Null(await coordinator.RegisterAsync(Reg("c1", "bot", GatewayKind.PresenceOnly, bot)));

        ConferenceE2eeState on = ConferenceE2eeState.Clear.WithHostToggle(true, _time.GetUtcNow());
        IReadOnlyList<LeaveNowOrder> orders = await coordinator.StateChangedAsync("c1", on, TenantPolicy.Open);
        Assert.Equal(["rec", "sip"], orders.Select(o => o.GatewayId).Order());
        Assert.All(orders, o => Assert.Equal(ReasonCodes.EnabledMidCall, o.Decision.ReasonCode));
        Assert.All(orders, o => Assert.Equal(o.IssuedAt + TimeSpan.FromSeconds(10), o.Deadline));

        // More evidence arrives: nobody is ordered twice.
        Assert.Empty(await coordinator.StateChangedAsync("c1", on with { EncryptedTracksObserved = 4, DeclaredE2eeParticipants = 3 }, TenantPolicy.Open));
        Assert.Empty(await coordinator.StateChangedAsync("c1", on with { RoomRequiresE2ee = true }, TenantPolicy.Open));
        await coordinator.WhenLeavesSettledAsync();

        Assert.Equal((1, 1, 0), (rec.Calls, sip.Calls, bot.Calls));
        Assert.False(rec.TakingMedia);
        Assert.True(bot.TakingMedia);
        Assert.Equal(ReasonCodes.EnabledMidCall, rec.ReasonInOutput);
        Assert.All(_outcomes, o => Assert.Equal(LeaveStatus.Confirmed, o.Status));
        Assert.Equal(2, _outcomes.Count);
        Assert.Empty(_forced);
        Assert.Equal(["bot"], await coordinator.WatchedGatewaysAsync("c1"));

        IReadOnlyList<DecisionAuditEntry> recAudit = [.. _audit.Query("c1").Where(e => e.GatewayId == "rec")];
        // Registration is evaluated (allowed), then the state change (leave), then the confirmation.
        Assert.Equal([AuditEvent.Decision, AuditEvent.Decision, AuditEvent.LeaveOrdered, AuditEvent.LeaveConfirmed], recAudit.Select(e => e.Event));
        Assert.Equal([CapabilityOutcome.Allow, CapabilityOutcome.LeaveNow], recAudit.Take(2).Select(e => e.Outcome));
        Assert.Equal("reason recorded in recording manifest; prior output finalized: yes", recAudit[3].Detail);
    }

    [Fact]
    public async Task Gateway_that_misses_the_deadline_is_reported_and_force_stopped()
    {
        await using LeaveNowCoordinator coordinator = Create(TimeSpan.FromSeconds(5));
        var stuck = new GatewayStandIn("cap", _time) { Mode = GatewayStandIn.Behaviour.NeverConfirm };
        await coordinator.RegisterAsync(Reg("c2", "cap", GatewayKind.ServerCaptions, stuck));
        await coordinator.StateChangedAsync("c2", ConferenceE2eeState.Clear with { EncryptedTracksObserved = 1 }, TenantPolicy.Open);
        CancellationToken handlerToken = await stuck.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(50);
        Assert.Empty(_outcomes);
        Assert.False(handlerToken.IsCancellationRequested);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await coordinator.WhenLeavesSettledAsync().WaitAsync(TimeSpan.FromSeconds(5));
        LeaveOutcome outcome = Assert.Single(_outcomes);
        Assert.Equal(LeaveStatus.DeadlineMissed, outcome.Status);
        Assert.True(outcome.ForceStopped);
        Assert.Equal("no confirmation within 5 s", outcome.Error);
        Assert.Equal(ReasonCodes.FramesObserved, Assert.Single(_forced).Decision.ReasonCode);
        Assert.True(handlerToken.IsCancellationRequested);
        Assert.Equal([AuditEvent.Decision, AuditEvent.Decision, AuditEvent.LeaveOrdered, AuditEvent.LeaveDeadlineMissed, AuditEvent.ForceStopped],
            _audit.Query("c2").Select(e => e.Event));
        Assert.Equal(_time.GetUtcNow(), _audit.Query("c2")[3].At);
    }

    [Theory]
    [InlineData(GatewayStandIn.Behaviour.Throw, "disk full while sealing the spool")]
    [InlineData(GatewayStandIn.Behaviour.ConfirmWrongReason, "the confirmation does not match the order (gateway id or reason code)")]
    public async Task Failing_or_wrong_confirmation_is_force_stopped(GatewayStandIn.Behaviour mode, string error)
    {
        await using LeaveNowCoordinator coordinator = Create();
        await coordinator.RegisterAsync(Reg("c3", "sip", GatewayKind.PstnDialOut, new GatewayStandIn("sip", _time) { Mode = mode }));
        await coordinator.StateChangedAsync("c3", ConferenceE2eeState.Clear, TenantPolicy.Create(disabled: GatewayFeature.Phone));
        await coordinator.WhenLeavesSettledAsync().WaitAsync(TimeSpan.FromSeconds(5));
        LeaveOutcome outcome = Assert.Single(_outcomes);
        Assert.Equal((LeaveStatus.Failed, error, true), (outcome.Status, outcome.Error, outcome.ForceStopped));
        Assert.Equal(ReasonCodes.TenantFeatureDisabled, Assert.Single(_forced).Decision.ReasonCode);
    }

    [Fact]
    public async Task Gateway_registering_after_e2ee_turned_on_is_ordered_out_at_once()
    {
        await using LeaveNowCoordinator coordinator = Create();
        Assert.Empty(await coordinator.StateChangedAsync("c4", ConferenceE2eeState.Clear with { RoomRequiresE2ee = true }, TenantPolicy.Open));
        var rec = new GatewayStandIn("rec", _time);
        LeaveNowOrder? order = await coordinator.RegisterAsync(Reg("c4", "rec", GatewayKind.Recording, rec));
        Assert.Equal(ReasonCodes.RoomPolicy, order?.Decision.ReasonCode);
        // The same gateway id is never re-armed.
        Assert.Null(await coordinator.RegisterAsync(Reg("c4", "rec", GatewayKind.Recording, rec)));
        await coordinator.WhenLeavesSettledAsync();
        Assert.Equal(1, rec.Calls);
    }

    [Fact]
    public async Task Conferences_are_independent_and_unregistered_gateways_are_left_alone()
    {
        await using LeaveNowCoordinator coordinator = Create();
        var a = new GatewayStandIn("a", _time);
        var b = new GatewayStandIn("b", _time);
        var gone = new GatewayStandIn("gone", _time);
        await coordinator.RegisterAsync(Reg("ca", "a", GatewayKind.Recording, a));
        await coordinator.RegisterAsync(Reg("cb", "b", GatewayKind.Recording, b));
        await coordinator.RegisterAsync(Reg("ca", "gone", GatewayKind.ServerCaptions, gone));
        await coordinator.UnregisterAsync("ca", "gone");
        await coordinator.StateChangedAsync("ca", ConferenceE2eeState.Clear with { DeclaredE2eeParticipants = 1 }, TenantPolicy.Open);
        await coordinator.WhenLeavesSettledAsync();
        Assert.Equal((1, 0, 0), (a.Calls, b.Calls, gone.Calls));

        // An ended conference is forgotten: its state no longer applies to a new gateway with the same ids.
        await coordinator.ConferenceEndedAsync("cb");
        Assert.Empty(await coordinator.WatchedGatewaysAsync("cb"));
    }

    [Fact]
    public async Task Concurrent_state_changes_still_deliver_once()
    {
        await using LeaveNowCoordinator coordinator = Create();
        var gateways = Enumerable.Range(0, 20).Select(i => new GatewayStandIn("g" + i, _time)).ToArray();
        for (int i = 0; i < gateways.Length; i++)
        {
            await coordinator.RegisterAsync(Reg("c5", "g" + i, GatewayKind.ServerCaptions, gateways[i]));
        }

        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() =>
            coordinator.StateChangedAsync("c5", ConferenceE2eeState.Clear with { EncryptedTracksObserved = i }, TenantPolicy.Open))));
        await coordinator.WhenLeavesSettledAsync();
        Assert.All(gateways, g => Assert.Equal(1, g.Calls));
        Assert.Equal(20, _outcomes.Count);
        Assert.All(_outcomes, o => Assert.Equal(LeaveStatus.Confirmed, o.Status));
    }

    [Fact]
    public async Task Watching_a_feed_of_state_changes_orders_out_when_frames_turn_encrypted()
    {
        await using LeaveNowCoordinator coordinator = Create();
        var cap = new GatewayStandIn("cap", _time);
        await coordinator.RegisterAsync(Reg("c6", "cap", GatewayKind.ServerCaptions, cap));
        var feed = System.Threading.Channels.Channel.CreateUnbounded<ConferenceStateChange>();
        using var stop = new CancellationTokenSource();
        Task watching = coordinator.WatchAsync(feed.Reader.ReadAllAsync(), stop.Token);
        feed.Writer.TryWrite(new ConferenceStateChange("c6", ConferenceE2eeState.Clear, TenantPolicy.Open));
        feed.Writer.TryWrite(new ConferenceStateChange("c6", ConferenceE2eeState.Clear with { EncryptedTracksObserved = 1 }, TenantPolicy.Open));
        feed.Writer.TryWrite(new ConferenceStateChange("c6", ConferenceE2eeState.Clear with { EncryptedTracksObserved = 2 }, TenantPolicy.Open));
        feed.Writer.Complete();
        await watching.WaitAsync(TimeSpan.FromSeconds(10));
        await coordinator.WhenLeavesSettledAsync();
        Assert.Equal(1, cap.Calls);
        Assert.Equal(ReasonCodes.FramesObserved, Assert.Single(cap.Orders).Decision.ReasonCode);
        Assert.Equal(LeaveStatus.Confirmed, Assert.Single(_outcomes).Status);
    }
}
