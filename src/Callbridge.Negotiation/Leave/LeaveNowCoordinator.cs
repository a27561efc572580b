using System.Threading.Channels;
using Callbridge.Negotiation.Audit;

namespace Callbridge.Negotiation.Leave;

/// <summary>
/// Watches conference state and enforces the decision on running gateways. Every command (a state
/// change, a registration) runs on one serialized loop (single-reader channel), so evaluations never
/// interleave and "exactly once per gateway" holds without locks around the state. Each order is then
/// carried out off the loop, concurrently across gateways, against a deadline on the injected clock.
/// </summary>
public sealed class LeaveNowCoordinator : IAsyncDisposable
{
    private readonly IDecisionAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly Func<LeaveNowOrder, CancellationToken, ValueTask> _forceStop;
    private readonly LeaveNowCoordinatorOptions _options;
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, ConferenceSlot> _conferences = new(StringComparer.Ordinal);
    private readonly Lock _inflightGate = new();
    private readonly HashSet<Task> _inflight = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _loop;

    /// <param name="forceStop">Stops a gateway that did not confirm in time (kill its media session, hang up, ...).</param>
    public LeaveNowCoordinator(
        IDecisionAuditLog audit,
        TimeProvider time,
        Func<LeaveNowOrder, CancellationToken, ValueTask> forceStop,
        LeaveNowCoordinatorOptions? options = null)
    {
        _audit = audit;
        _time = time;
        _forceStop = forceStop;
        _options = options ?? new LeaveNowCoordinatorOptions();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Starts watching a running gateway; it is evaluated at once against the last known state
    /// (E2EE may have been turned on while it was joining). Returns the order if one was issued.</summary>
    public Task<LeaveNowOrder?> RegisterAsync(GatewayRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var done = new TaskCompletionSource<LeaveNowOrder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Command.Register(registration, done));
        return done.Task;
    }

    /// <summary>Stops watching a gateway that left on its own.</summary>
    public Task UnregisterAsync(string conferenceId, string gatewayId)
    {
        var done = new TaskCompletionSource<LeaveNowOrder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Command.Unregister(conferenceId, gatewayId, done));
        return done.Task;
    }

    /// <summary>A conference's E2EE state or tenant policy changed: re-evaluate its running gateways.
    /// Returns the orders issued by this change (empty when none).</summary>
    public Task<IReadOnlyList<LeaveNowOrder>> StateChangedAsync(string conferenceId, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        ArgumentNullException.ThrowIfNull(e2ee);
        ArgumentNullException.ThrowIfNull(tenant);
        var done = new TaskCompletionSource<IReadOnlyList<LeaveNowOrder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Command.StateChanged(conferenceId, e2ee, tenant, done));
        return done.Task;
    }

    /// <summary>Follows a feed of state changes (e.g. a channel fed by the media core's ciphertext detector and
    /// the signalling adapter) until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WatchAsync(IAsyncEnumerable<ConferenceStateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await foreach (ConferenceStateChange change in changes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await StateChangedAsync(change.ConferenceId, change.E2ee, change.Tenant).ConfigureAwait(false);
        }
    }

    /// <summary>The conference is over: forget its state and gateways (memory stays bounded by live conferences).</summary>
    public Task ConferenceEndedAsync(string conferenceId)
    {
        var done = new TaskCompletionSource<LeaveNowOrder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Command.Ended(conferenceId, done));
        return done.Task;
    }

    /// <summary>Completes when every order issued so far has an outcome.</summary>
    public Task WhenLeavesSettledAsync()
    {
        lock (_inflightGate)
        {
            return Task.WhenAll([.. _inflight]);
        }
    }

    /// <summary>The gateways still watched in a conference (not yet ordered to leave).</summary>
    public Task<IReadOnlyList<string>> WatchedGatewaysAsync(string conferenceId)
    {
        var done = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Command.Watched(conferenceId, done));
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await WhenLeavesSettledAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private void Enqueue(Command command)
    {
        if (!_commands.Writer.TryWrite(command))
        {
            throw new ObjectDisposedException(nameof(LeaveNowCoordinator));
        }
    }

    private async Task RunAsync()
    {
        await foreach (Command command in _commands.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            switch (command)
            {
                case Command.Register r:
                    r.Done.TrySetResult(OnRegister(r.Registration));
                    break;
                case Command.Unregister u:
                    if (_conferences.TryGetValue(u.ConferenceId, out ConferenceSlot? slot))
                    {
                        slot.Gateways.Remove(u.GatewayId);
                    }

                    u.Done.TrySetResult(null);
                    break;
                case Command.StateChanged s:
                    s.Done.TrySetResult(OnStateChanged(s));
                    break;
                case Command.Ended e:
                    _conferences.Remove(e.ConferenceId);
                    e.Done.TrySetResult(null);
                    break;
                case Command.Watched w:
                    w.Done.TrySetResult(_conferences.TryGetValue(w.ConferenceId, out ConferenceSlot? c) ? [.. c.Gateways.Keys.Order(StringComparer.Ordinal)] : []);
                    break;
            }
        }
    }

    private LeaveNowOrder? OnRegister(GatewayRegistration registration)
    {
        ConferenceSlot slot = Slot(registration.ConferenceId);
        if (slot.Ordered.Contains(registration.GatewayId) || !slot.Gateways.TryAdd(registration.GatewayId, registration))
        {
            // A gateway id is one gateway instance: once ordered out (or already watched) it is not re-armed.
            return null;
        }

        return Evaluate(slot, registration);
    }

    private IReadOnlyList<LeaveNowOrder> OnStateChanged(Command.StateChanged change)
    {
        ConferenceSlot slot = Slot(change.ConferenceId);
        slot.E2ee = change.E2ee;
        slot.Tenant = change.Tenant;
        var orders = new List<LeaveNowOrder>();
        foreach (GatewayRegistration registration in slot.Gateways.Values.ToArray())
        {
            if (Evaluate(slot, registration) is { } order)
            {
                orders.Add(order);
            }
        }

        return orders;
    }

    private LeaveNowOrder? Evaluate(ConferenceSlot slot, GatewayRegistration registration)
    {
        var request = new GatewayRequest(registration.Kind, registration.NeedsDecodedMedia, GatewayPhase.Running);
        CapabilityDecision decision = CapabilityPolicy.Decide(request, slot.E2ee, slot.Tenant);
        DateTimeOffset now = _time.GetUtcNow();
        _audit.Append(DecisionAuditEntry.For(now, registration.ConferenceId, registration.GatewayId, AuditEvent.Decision, request, slot.E2ee, slot.Tenant, decision));
        if (decision.Outcome != CapabilityOutcome.LeaveNow)
        {
            return null;
        }

        slot.Gateways.Remove(registration.GatewayId);
        slot.Ordered.Add(registration.GatewayId);
        var order = new LeaveNowOrder(registration.ConferenceId, registration.GatewayId, registration.Kind, decision, now, now + _options.ConfirmDeadline);
        _audit.Append(DecisionAuditEntry.For(now, order.ConferenceId, order.GatewayId, AuditEvent.LeaveOrdered, request, slot.E2ee, slot.Tenant, decision,
            $"deadline {order.Deadline:O}"));
        Task leave = CarryOutAsync(order, registration.Handler, request, slot.E2ee, slot.Tenant);
        lock (_inflightGate)
        {
            _inflight.Add(leave);
        }

        _ = leave.ContinueWith(
            t =>
            {
                lock (_inflightGate)
                {
                    _inflight.Remove(t);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return order;
    }

    private async Task CarryOutAsync(LeaveNowOrder order, IE2eeLeaveHandler handler, GatewayRequest request, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        using var handlerCancel = new CancellationTokenSource();
        using var deadlineCancel = new CancellationTokenSource();
        Task deadline = Task.Delay(_options.ConfirmDeadline, _time, deadlineCancel.Token);
        // Off the loop: a handler that blocks before its first await must not hold up other gateways.
        Task<LeaveConfirmation> work = Task.Run(() => handler.LeaveNowAsync(order, handlerCancel.Token), CancellationToken.None);
        Task first = await Task.WhenAny(work, deadline).ConfigureAwait(false);

        LeaveStatus status;
        LeaveConfirmation? confirmation = null;
        string? error = null;
        if (first == work)
        {
            await deadlineCancel.CancelAsync().ConfigureAwait(false);
            if (work.IsCompletedSuccessfully)
            {
                confirmation = work.Result;
                bool matches = confirmation is not null
                    && string.Equals(confirmation.GatewayId, order.GatewayId, StringComparison.Ordinal)
                    && string.Equals(confirmation.ReasonCode, order.Decision.ReasonCode, StringComparison.Ordinal);
                status = matches ? LeaveStatus.Confirmed : LeaveStatus.Failed;
                error = matches ? null : "the confirmation does not match the order (gateway id or reason code)";
            }
            else
            {
                status = LeaveStatus.Failed;
                error = work.Exception?.GetBaseException().Message ?? "the leave handler was cancelled";
            }
        }
        else
        {
            status = LeaveStatus.DeadlineMissed;
            error = $"no confirmation within {_options.ConfirmDeadline.TotalSeconds:0.###} s";
            await handlerCancel.CancelAsync().ConfigureAwait(false);
            // The abandoned handler's eventual fault is observed here so it never surfaces as unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        DateTimeOffset now = _time.GetUtcNow();
        AuditEvent outcomeEvent = status switch
        {
            LeaveStatus.Confirmed => AuditEvent.LeaveConfirmed,
            LeaveStatus.DeadlineMissed => AuditEvent.LeaveDeadlineMissed,
            _ => AuditEvent.LeaveFailed,
        };
        string detail = status == LeaveStatus.Confirmed
            ? $"reason recorded in {confirmation!.ReasonRecordedIn}; prior output finalized: {(confirmation.FinalizedPriorOutput ? "yes" : "no")}"
            : error!;
        _audit.Append(DecisionAuditEntry.For(now, order.ConferenceId, order.GatewayId, outcomeEvent, request, e2ee, tenant, order.Decision, detail));

        bool forced = false;
        string? forceError = null;
        if (status != LeaveStatus.Confirmed)
        {
            try
            {
                await _forceStop(order, _shutdown.Token).ConfigureAwait(false);
                forced = true;
            }
#pragma warning disable CA1031 // A failing force-stop callback is reported and audited, never allowed to kill the coordinator.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                forceError = ex.Message;
            }

            _audit.Append(DecisionAuditEntry.For(_time.GetUtcNow(), order.ConferenceId, order.GatewayId, AuditEvent.ForceStopped, request, e2ee, tenant,
                order.Decision, forceError is null ? "force-stopped" : "force-stop failed: " + forceError));
        }

        _options.OnOutcome?.Invoke(new LeaveOutcome(order, status, confirmation, error, forced, forceError, now));
    }

    private ConferenceSlot Slot(string conferenceId)
    {
        if (!_conferences.TryGetValue(conferenceId, out ConferenceSlot? slot))
        {
            slot = new ConferenceSlot();
            _conferences.Add(conferenceId, slot);
        }

        return slot;
    }

    private sealed class ConferenceSlot
    {
        public ConferenceE2eeState E2ee { get; set; } = ConferenceE2eeState.Clear;
        public TenantPolicy Tenant { get; set; } = TenantPolicy.Open;
        public Dictionary<string, GatewayRegistration> Gateways { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Ordered { get; } = new(StringComparer.Ordinal);
    }

    private abstract record Command
    {
        public sealed record Register(GatewayRegistration Registration, TaskCompletionSource<LeaveNowOrder?> Done) : Command;
        public sealed record Unregister(string ConferenceId, string GatewayId, TaskCompletionSource<LeaveNowOrder?> Done) : Command;
        public sealed record StateChanged(string ConferenceId, ConferenceE2eeState E2ee, TenantPolicy Tenant, TaskCompletionSource<IReadOnlyList<LeaveNowOrder>> Done) : Command;
        public sealed record Ended(string ConferenceId, TaskCompletionSource<LeaveNowOrder?> Done) : Command;
        public sealed record Watched(string ConferenceId, TaskCompletionSource<IReadOnlyList<string>> Done) : Command;
    }
}
