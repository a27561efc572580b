using System.Threading.Channels;
using Callbridge.Conference;
using Callbridge.Gateways.Host.Api;
using Callbridge.Gateways.Host.Notices;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;
using Callbridge.Negotiation.Leave;
using Callbridge.Notices;
using Callbridge.Notices.Model;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Host.Gateways;

/// <summary>
/// Starts gateways through their factories once the negotiator allowed them, watches them, and enforces E2EE
/// on them: each running gateway is registered with the tenant's <see cref="LeaveNowCoordinator"/>, and every
/// E2EE signal (host toggle, room policy and encrypted tracks the gateways observe) is fed to it, so a gateway
/// in a conference that becomes end-to-end encrypted is ordered out. Every state change, order, confirmation,
/// caption and call step is noticed to the host. Outcomes are kept after gateways end. On host shutdown every
/// gateway is stopped (finalizing its output) within <see cref="GatewaySupervisorOptions.ShutdownGrace"/>.
/// <para>
/// E2EE evidence and gateway state reports run on one serialized loop (a single-reader channel), so the state
/// fed to the coordinators never interleaves. One coordinator per tenant: its policy applies to all of that
/// tenant's gateways, and two tenants in the same room id never share one.
/// </para>
/// </summary>
internal sealed class GatewaySupervisor : IHostedService, IAsyncDisposable
{
    /// <summary>Ended gateways kept for their outcome; the oldest are forgotten beyond this.</summary>
    public const int MaxEndedKept = 1000;

    /// <summary>After a host stop of a gateway whose Completion still does not complete, how long to wait before recording it as failed.</summary>
    private static readonly TimeSpan DisposeSettle = TimeSpan.FromSeconds(2);

    /// <summary>Tenants whose gateways ended this recently still hear that their conference ended.</summary>
    private static readonly TimeSpan EndedNoticeWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<GatewayKind, IGatewayFactory> _factories;
    private readonly ConferenceE2eeRegistry _e2ee;
    private readonly ParticipantClientRegistry _clients;
    private readonly IDecisionAuditLog _audit;
    private readonly TenantNoticeDirectory _notices;
    private readonly IOptions<TenantOptions> _tenants;
    private readonly IConferenceConnector _conferences;
    private readonly TimeProvider _time;
    private readonly GatewaySupervisorOptions _options;
    private readonly ILogger<GatewaySupervisor> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SupervisedGateway> _gateways = new(StringComparer.Ordinal);
    private readonly Queue<SupervisedGateway> _endedOrder = new();
    private readonly Dictionary<string, LeaveNowCoordinator> _coordinators = new(StringComparer.Ordinal);
    private readonly HashSet<string> _endedConferences = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _watchers = [];
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private Task? _probe;
    private Task? _shutdown;
    private int _disposed;

    public GatewaySupervisor(
        IEnumerable<IGatewayFactory> factories,
        ConferenceE2eeRegistry e2ee,
        ParticipantClientRegistry clients,
        IDecisionAuditLog audit,
        TenantNoticeDirectory notices,
        IOptions<TenantOptions> tenants,
        IConferenceConnector conferences,
        TimeProvider time,
        IOptions<GatewaySupervisorOptions> options,
        ILogger<GatewaySupervisor> logger)
    {
        _factories = [];
        foreach (IGatewayFactory factory in factories)
        {
            // One factory per kind: two would make "which one starts" an accident of registration order.
            if (!_factories.TryAdd(factory.Kind, factory))
                throw new InvalidOperationException($"Two gateway factories are registered for {factory.Kind}.");
        }
        _e2ee = e2ee;
        _clients = clients;
        _audit = audit;
        _notices = notices;
        _tenants = tenants;
        _conferences = conferences;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _loop = Task.Run(RunLoopAsync);
    }

    public bool Supports(GatewayKind kind) => _factories.ContainsKey(kind);

    // ---- queries ----

    public SupervisedGateway? Find(string tenantId, string conferenceId, string gatewayId)
    {
        lock (_gate)
        {
            return _gateways.TryGetValue(gatewayId, out SupervisedGateway? g) && g.Tenant.Id == tenantId && g.ConferenceId == conferenceId ? g : null;
        }
    }

    /// <summary>The tenant's gateways in a conference, running and ended, oldest first.</summary>
    public IReadOnlyList<SupervisedGateway> In(string tenantId, string conferenceId)
    {
        lock (_gate)
        {
            return [.. _gateways.Values.Where(g => g.Tenant.Id == tenantId && g.ConferenceId == conferenceId).OrderBy(g => g.StartedAt)];
        }
    }

    /// <summary>The tenant's gateways in the conference that turning E2EE on would affect (starting or running).</summary>
    public IReadOnlyList<RunningGateway> Running(string tenantId, string conferenceId) =>
        [.. In(tenantId, conferenceId).Where(g => g.IsLive && g.State is GatewayRunState.Starting or GatewayRunState.Running).Select(g => g.AsRunning())];

    // ---- start and stop ----

    /// <summary>
    /// Starts a gateway the negotiator allowed and registers it for leave-now. Returns once it is in the
    /// conference; throws <see cref="GatewayStartException"/> when it could not start (the record keeps the failure).
    /// </summary>
    public async Task<SupervisedGateway> StartAsync(TenantEntry tenant, string conferenceId, string gatewayId, GatewayKind kind, string? destination)
    {
        if (!_factories.TryGetValue(kind, out IGatewayFactory? factory))
            throw new InvalidOperationException($"No factory for {kind}: ask Supports first.");
        var record = new SupervisedGateway(tenant, conferenceId, gatewayId, kind, destination, _time.GetUtcNow());
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) throw new GatewayStartException("host-stopping", "The host is shutting down; nothing new starts.");
            _gateways.Add(gatewayId, record);
            _endedConferences.Remove(conferenceId);
        }
        Notices(tenant).Publish(StateNotice(record, GatewayState.Joining, null, "joining the conference"));

        IGateway gateway;
        using (var timeout = new CancellationTokenSource(_options.StartTimeout, _time))
        using (var start = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token))
        {
            try
            {
                gateway = await factory.StartAsync(new GatewayLaunch(tenant.Id, conferenceId, gatewayId, destination, new LaunchObserver(this, record)), start.Token)
                    .ConfigureAwait(false);
            }
            catch (GatewayStartException e)
            {
                FinishUnstarted(record, e.Message);
                throw;
            }
            catch (OperationCanceledException e) when (start.IsCancellationRequested)
            {
                string why = _stopping.IsCancellationRequested
                    ? "The host is shutting down."
                    : $"It did not join within {_options.StartTimeout.TotalSeconds:0.#} s.";
                FinishUnstarted(record, why);
                throw new GatewayStartException(_stopping.IsCancellationRequested ? "host-stopping" : "start-timeout", why, e);
            }
#pragma warning disable CA1031 // A factory's unexpected failure is this start's outcome, reported to the caller and the host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                FinishUnstarted(record, "It failed to start: " + e.Message);
                throw new GatewayStartException("gateway-failed", "The gateway failed to start: " + e.Message, e);
            }
        }

        record.Attach(gateway);
        GatewayRunState reported = gateway.State;
        // Registered on the loop after the conference's latest state: E2EE may have come on while it joined.
        Task registered = PostAndWaitAsync(async () =>
        {
            OnGatewayState(record, reported, null);
            await RegisterAsync(record, gateway).ConfigureAwait(false);
        });
        Track(WatchAsync(record, gateway));
        await registered.ConfigureAwait(false);
        if (record.HasStopCause && record.IsLive) Track(StopGatewayAsync(record, _options.StopTimeout));
        return record;
    }

    /// <summary>Stops a gateway through the API; returns its status once it ended (or when the stop timed out).</summary>
    public async Task<GatewayStatus> StopAsync(SupervisedGateway record)
    {
        if (!record.IsLive) return record.Status();
        record.StopRequested("Stopped through the API.");
        if (record.Gateway is null) return record.Status(); // Still joining: stopped as soon as the factory returns it.
        await StopGatewayAsync(record, _options.StopTimeout).ConfigureAwait(false);
        return record.Status();
    }

    private async Task StopGatewayAsync(SupervisedGateway record, TimeSpan limit)
    {
        IGateway? gateway = record.Gateway;
        if (gateway is null || !record.IsLive) return;
        using var cancel = new CancellationTokenSource(limit, _time);
        try
        {
            await gateway.StopAsync(cancel.Token).WaitAsync(limit, _time).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the gateway does on stop, the host disposes it and records the outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning("Gateway {GatewayId} did not stop cleanly ({Error}); disposing it.", record.GatewayId, e.Message);
            await DisposeQuietlyAsync(record, gateway).ConfigureAwait(false);
        }
        await SettleAsync(record, gateway, $"It did not stop within {limit.TotalSeconds:0.#} s and was disposed.").ConfigureAwait(false);
    }

    /// <summary>Waits briefly for the final outcome; a gateway whose Completion never completes is recorded as failed.</summary>
    private async Task SettleAsync(SupervisedGateway record, IGateway gateway, string why)
    {
        try
        {
            await record.Ended.WaitAsync(DisposeSettle, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await DisposeQuietlyAsync(record, gateway).ConfigureAwait(false);
            if (record.IsLive) Finished(record, new GatewayOutcome(GatewayRunState.Failed, null, why, []));
        }
    }

    // ---- what gateways report ----

    internal void OnGatewayState(SupervisedGateway record, GatewayRunState state, string? detail)
    {
        // A final state is noticed once, with the outcome, when Completion completes.
        if (state is GatewayRunState.Stopped or GatewayRunState.LeftForE2ee or GatewayRunState.Failed)
        {
            record.Report(state, detail, _time.GetUtcNow());
            return;
        }
        if (record.Report(state, detail, _time.GetUtcNow()))
            Notices(record.Tenant).Publish(StateNotice(record, Map(state), null, detail));
    }

    internal async Task OnEncryptedTrackAsync(SupervisedGateway record, string participantId, string trackId, string format)
    {
        ConferenceE2eeRegistry.Change change = _e2ee.ObserveEncryptedTrack(record.ConferenceId, participantId + "\n" + trackId);
        if (!change.Changed) return;
        _logger.LogInformation("Gateway {GatewayId} saw {Format} encrypted media on track {TrackId} of {ParticipantId} in conference {ConferenceId}.",
            record.GatewayId, format, trackId, participantId, record.ConferenceId);
        await PushStateAsync(record.ConferenceId, change).ConfigureAwait(false);
    }

    internal async Task OnRoomPolicyAsync(SupervisedGateway record, bool requiresE2ee)
    {
        ConferenceE2eeRegistry.Change change = _e2ee.ObserveRoomPolicy(record.ConferenceId, requiresE2ee);
        if (change.Changed) await PushStateAsync(record.ConferenceId, change).ConfigureAwait(false);
    }

    internal void OnCaption(SupervisedGateway record, CaptionUpdate caption) =>
        Notices(record.Tenant).Caption(new CaptionNotice(record.ConferenceId, _time.GetUtcNow(), record.GatewayId, caption.ParticipantId, caption.DisplayName,
            caption.UtteranceId, caption.Text, caption.IsFinal, (long)caption.Start.TotalMilliseconds, (long)caption.End.TotalMilliseconds, caption.Confidence));

    internal void OnCallProgress(SupervisedGateway record, CallProgress progress, string? detail)
    {
        record.CallProgressed(progress.ToString());
        Notices(record.Tenant).Publish(new CallProgressNotice(record.ConferenceId, _time.GetUtcNow(), record.GatewayId, record.Kind, progress.ToString(), detail));
    }

    internal void OnLeaveOrdered(SupervisedGateway record, LeaveNowOrder order)
    {
        record.Ordered(order, _time.GetUtcNow());
        HostNoticeService notices = Notices(record.Tenant);
        notices.LeaveOrdered(order);
        notices.Publish(StateNotice(record, GatewayState.Leaving, order.Decision.ReasonCode, "ordered to leave: " + order.Decision.ReasonCode));
    }

    /// <summary>The host's toggle changed the conference's state (the API already recorded it).</summary>
    public Task E2eeChangedAsync(string conferenceId, ConferenceE2eeRegistry.Change change) =>
        change.Changed ? PostAndWaitAsync(() => PushStateAsync(conferenceId, change)) : Task.CompletedTask;

    /// <summary>Feeds the new state to the coordinator of every tenant with gateways in the conference; when the
    /// conference just became E2EE, tells hosts about participants whose clients cannot take part.</summary>
    private async Task PushStateAsync(string conferenceId, ConferenceE2eeRegistry.Change change)
    {
        foreach (TenantEntry tenant in TenantsWithLiveGateways(conferenceId))
            await Coordinator(tenant).StateChangedAsync(conferenceId, change.After, Policy(tenant)).ConfigureAwait(false);
        if (change.BecameE2ee) NoticeUnsupportedClients(conferenceId);
    }

    private void NoticeUnsupportedClients(string conferenceId)
    {
        foreach (string tenantId in _clients.TenantsIn(conferenceId))
        {
            TenantEntry? tenant = _tenants.Value.Tenants.FirstOrDefault(t => t.Id == tenantId);
            if (tenant is null) continue;
            foreach (ParticipantClient participant in _clients.For(tenantId, conferenceId))
            {
                if (E2eeClientAdmission.Check(participant, conferenceIsE2ee: true) is { } finding)
                    Notices(tenant).UnsupportedClient(conferenceId, finding);
            }
        }
    }

    private async Task RegisterAsync(SupervisedGateway record, IGateway gateway)
    {
        if (!record.IsLive) return;
        LeaveNowCoordinator coordinator = Coordinator(record.Tenant);
        await coordinator.StateChangedAsync(record.ConferenceId, _e2ee.Known(record.ConferenceId), Policy(record.Tenant)).ConfigureAwait(false);
        await coordinator.RegisterAsync(new GatewayRegistration(record.ConferenceId, record.GatewayId, record.Kind, gateway.NeedsDecodedMedia,
            new SupervisedLeaveHandler(this, record, gateway))).ConfigureAwait(false);
    }

    private async Task WatchAsync(SupervisedGateway record, IGateway gateway)
    {
        GatewayOutcome outcome;
        try
        {
            outcome = await gateway.Completion.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The contract says Completion never faults; if one does, that is its outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = new GatewayOutcome(GatewayRunState.Failed, null, "It failed: " + e.Message, []);
        }
        // After a leave-now order, the confirmation (or force-stop) notice comes before the final one.
        if (record.WasOrdered)
        {
            try
            {
                await record.LeaveSettled.WaitAsync(_options.LeaveConfirmDeadline + DisposeSettle, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("No leave-now outcome for gateway {GatewayId}; recording its end anyway.", record.GatewayId);
            }
        }
        // On the loop, after the state reports queued before it: the final notice is always the last.
        try
        {
            await PostAndWaitAsync(() =>
            {
                Finished(record, outcome);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            Finished(record, outcome);
        }
        await DisposeQuietlyAsync(record, gateway).ConfigureAwait(false);
        // A gateway that left on its own may have seen its conference end.
        if (!record.HasStopCause) Post(() => ProbeConferenceAsync(record.ConferenceId));
    }

    private void Finished(SupervisedGateway record, GatewayOutcome outcome)
    {
        if (!record.IsLive) return;
        GatewayStatus status = record.Finish(outcome, _time.GetUtcNow());
        lock (_gate)
        {
            _endedOrder.Enqueue(record);
            while (_endedOrder.Count > MaxEndedKept) _gateways.Remove(_endedOrder.Dequeue().GatewayId);
        }
        GatewayState state = outcome.FinalState switch
        {
            GatewayRunState.LeftForE2ee => GatewayState.LeftForE2ee,
            GatewayRunState.Failed => GatewayState.Failed,
            _ => GatewayState.Stopped,
        };
        Notices(record.Tenant).Publish(StateNotice(record, state, status.ReasonCode, status.Reason) with { Summary = outcome.Summary, Outputs = outcome.Outputs });
        Post(() => Coordinator(record.Tenant).UnregisterAsync(record.ConferenceId, record.GatewayId));
    }

    private void FinishUnstarted(SupervisedGateway record, string why) =>
        Finished(record, new GatewayOutcome(GatewayRunState.Failed, null, why, []));

    // ---- the coordinator's callbacks ----

    private void OnLeaveOutcome(LeaveOutcome outcome)
    {
        SupervisedGateway? record;
        lock (_gate) _gateways.TryGetValue(outcome.Order.GatewayId, out record);
        if (record is null) return;
        Notices(record.Tenant).LeaveFinished(outcome);
        record.MarkLeaveSettled();
    }

    private async ValueTask ForceStopAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        SupervisedGateway? record;
        lock (_gate) _gateways.TryGetValue(order.GatewayId, out record);
        if (record?.Gateway is not { } gateway) return;
        await DisposeQuietlyAsync(record, gateway).ConfigureAwait(false);
        // Not awaited: the final notice waits for this order's outcome, which the coordinator gives once this returns.
        Track(SettleAsync(record, gateway, "It did not confirm the leave-now order in time and was disposed."));
    }

    // ---- conference end ----

    private async Task ProbeConferenceAsync(string conferenceId)
    {
        ConferenceProbe probe;
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            probe = await _conferences.ProbeAsync(conferenceId, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConferenceException or OperationCanceledException)
        {
            return; // The SFU cannot say now; the next probe will.
        }
        if (!probe.Exists) ConferenceEnded(conferenceId, "The conference no longer exists on the SFU.");
    }

    private void ConferenceEnded(string conferenceId, string reason)
    {
        DateTimeOffset now = _time.GetUtcNow();
        List<SupervisedGateway> inConference;
        lock (_gate)
        {
            if (!_endedConferences.Add(conferenceId)) return;
            inConference = [.. _gateways.Values.Where(g => g.ConferenceId == conferenceId)];
        }
        var told = new HashSet<string>(StringComparer.Ordinal);
        foreach (SupervisedGateway g in inConference)
        {
            if (!(g.IsLive || now - (g.Status().EndedAt ?? now) < EndedNoticeWindow) || !told.Add(g.Tenant.Id)) continue;
            Notices(g.Tenant).ConferenceEnded(conferenceId, reason);
        }
        foreach (SupervisedGateway g in inConference.Where(g => g.IsLive))
        {
            g.StopRequested("The conference ended.");
            Track(StopGatewayAsync(g, _options.StopTimeout));
        }
        LeaveNowCoordinator[] coordinators;
        lock (_gate) coordinators = [.. _coordinators.Values];
        foreach (LeaveNowCoordinator c in coordinators) _ = c.ConferenceEndedAsync(conferenceId);
        _e2ee.Forget(conferenceId);
        _clients.Forget(conferenceId);
        _logger.LogInformation("Conference {ConferenceId} ended: {Reason}", conferenceId, reason);
    }

    private async Task ProbeLoopAsync(CancellationToken stopping)
    {
        if (_options.ConferenceProbeInterval <= TimeSpan.Zero) return;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_options.ConferenceProbeInterval, _time, stopping).ConfigureAwait(false);
                string[] conferences;
                lock (_gate) conferences = [.. _gateways.Values.Where(g => g.IsLive && g.Gateway is not null).Select(g => g.ConferenceId).Distinct(StringComparer.Ordinal)];
                foreach (string conferenceId in conferences) Post(() => ProbeConferenceAsync(conferenceId));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    // ---- host lifetime ----

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _probe = Task.Run(() => ProbeLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops every gateway, each finalizing its output, within <see cref="GatewaySupervisorOptions.ShutdownGrace"/>
    /// (then disposes what is left), and waits for their outcomes to be recorded and noticed.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Once: a second stop (a host stopped twice, Ctrl-C during SIGTERM) waits for the first.
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) == 1) return Task.CompletedTask;
            return _shutdown ??= ShutdownAsync();
        }
    }

    private async Task ShutdownAsync()
    {
        SupervisedGateway[] live;
        lock (_gate)
        {
            _stopping.Cancel();
            live = [.. _gateways.Values.Where(g => g.IsLive)];
        }
        foreach (SupervisedGateway g in live) g.StopRequested("The host shut down.");
        _logger.LogInformation("Stopping {Count} gateway(s) within {Grace} s.", live.Length, _options.ShutdownGrace.TotalSeconds);
        await Task.WhenAll(live.Select(g => StopGatewayAsync(g, _options.ShutdownGrace))).ConfigureAwait(false);
        Task[] watchers;
        lock (_gate) watchers = [.. _watchers];
        try
        {
            await Task.WhenAll(watchers).WaitAsync(DisposeSettle, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Some gateways had not settled {Seconds} s after the shutdown grace.", DisposeSettle.TotalSeconds);
        }
        if (_probe is not null) await _probe.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        LeaveNowCoordinator[] coordinators;
        lock (_gate) coordinators = [.. _coordinators.Values];
        foreach (LeaveNowCoordinator c in coordinators) await c.DisposeAsync().ConfigureAwait(false);
        // _stopping is not disposed: a late StopAsync or start may still read it, and it holds no timer.
    }

    // ---- plumbing ----

    /// <summary>Queues work on the serialized loop; dropped once the supervisor is disposed.</summary>
    internal void Post(Func<Task> work) => _work.Writer.TryWrite(work);

    internal void Post(Action work) => Post(() =>
    {
        work();
        return Task.CompletedTask;
    });

    private Task PostAndWaitAsync(Func<Task> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool queued = _work.Writer.TryWrite(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
                done.TrySetResult();
            }
#pragma warning disable CA1031 // Handed to the waiting caller.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.TrySetException(e);
            }
        });
        if (!queued) done.TrySetException(new ObjectDisposedException(nameof(GatewaySupervisor)));
        return done.Task;
    }

    private async Task RunLoopAsync()
    {
        await foreach (Func<Task> work in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One failing report must not stop the loop that enforces E2EE for every other gateway.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError(e, "Gateway supervision step failed.");
            }
        }
    }

    private void Track(Task task)
    {
        lock (_gate) _watchers.Add(task);
        _ = task.ContinueWith(t =>
        {
            lock (_gate) _watchers.Remove(t);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DisposeQuietlyAsync(SupervisedGateway record, IGateway gateway)
    {
        try
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A gateway failing to dispose is logged; the host goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning("Disposing gateway {GatewayId} failed: {Error}", record.GatewayId, e.Message);
        }
    }

    private LeaveNowCoordinator Coordinator(TenantEntry tenant)
    {
        lock (_gate)
        {
            if (!_coordinators.TryGetValue(tenant.Id, out LeaveNowCoordinator? coordinator))
            {
                coordinator = new LeaveNowCoordinator(_audit, _time, ForceStopAsync, new LeaveNowCoordinatorOptions
                {
                    ConfirmDeadline = _options.LeaveConfirmDeadline,
                    OnOutcome = OnLeaveOutcome,
                });
                _coordinators.Add(tenant.Id, coordinator);
            }
            return coordinator;
        }
    }

    /// <summary>The tenant-wide policy: a group that requires E2EE was refused at start, so running gateways are
    /// judged by what applies to all the tenant's meetings.</summary>
    private static TenantPolicy Policy(TenantEntry tenant) => tenant.PolicyFor(null);

    private IEnumerable<TenantEntry> TenantsWithLiveGateways(string conferenceId)
    {
        lock (_gate)
        {
            return [.. _gateways.Values.Where(g => g.ConferenceId == conferenceId && g.IsLive).Select(g => g.Tenant).DistinctBy(t => t.Id)];
        }
    }

    private HostNoticeService Notices(TenantEntry tenant) => _notices.For(tenant).Service;

    private GatewayStateNotice StateNotice(SupervisedGateway record, GatewayState state, string? reasonCode, string? detail) =>
        new(record.ConferenceId, _time.GetUtcNow(), record.GatewayId, record.Kind, state, reasonCode, detail);

    private static GatewayState Map(GatewayRunState state) => state switch
    {
        GatewayRunState.Starting => GatewayState.Joining,
        GatewayRunState.Running => GatewayState.Running,
        GatewayRunState.Stopping => GatewayState.Leaving,
        GatewayRunState.LeftForE2ee => GatewayState.LeftForE2ee,
        GatewayRunState.Failed => GatewayState.Failed,
        _ => GatewayState.Stopped,
    };
}
