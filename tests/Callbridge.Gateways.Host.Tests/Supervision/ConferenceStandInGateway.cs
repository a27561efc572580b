using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>
/// A media gateway stand-in on the real conference contract: it joins through <see cref="IConferenceConnector"/>,
/// subscribes to every track, and reports what its session and the media core's detector say (room policy,
/// <see cref="IConferenceMediaSink.OnTrackEncrypted"/>) to the host as the real gateways do. It counts frames
/// instead of recording them, drops every frame the classifier flags and every frame after a leave-now order.
/// </summary>
public sealed class ConferenceStandInGateway : IGateway, IConferenceMediaSink
{
    private readonly TaskCompletionSource<GatewayOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GatewayLaunch _launch;
    private readonly TimeProvider _time;
    private IConferenceSession? _session;
    private IConferenceSubscription? _subscription;
    private Task? _events;
    private volatile bool _intakeStopped;
    private long _clearFrames;
    private long _flaggedFrames;
    private long _framesAfterOrder;
    private long _firstFlaggedTicks;
    private GatewayRunState _state = GatewayRunState.Starting;

    private ConferenceStandInGateway(GatewayLaunch launch, GatewayKind kind, TimeProvider time)
    {
        _launch = launch;
        Kind = kind;
        _time = time;
    }

    public string GatewayId => _launch.GatewayId;

    public string ConferenceId => _launch.ConferenceId;

    public GatewayKind Kind { get; }

    public bool NeedsDecodedMedia => true;

    public GatewayRunState State => _state;

    public Task<GatewayOutcome> Completion => _completion.Task;

    /// <summary>Frames taken as media (the classifier saw clear media).</summary>
    public long ClearFrames => Interlocked.Read(ref _clearFrames);

    /// <summary>Frames dropped because the classifier flagged them as ciphertext.</summary>
    public long FlaggedFrames => Interlocked.Read(ref _flaggedFrames);

    /// <summary>Frames that arrived after the leave-now order (all dropped).</summary>
    public long FramesAfterOrder => Interlocked.Read(ref _framesAfterOrder);

    /// <summary>When the first frame flagged as ciphertext arrived (wall clock), if one did.</summary>
    public DateTimeOffset? FirstFlaggedFrameAt => Interlocked.Read(ref _firstFlaggedTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public List<(string TrackId, string Format, DateTimeOffset At)> EncryptedVerdicts { get; } = [];

    public TaskCompletionSource<(LeaveNowOrder Order, DateTimeOffset At)> OrderReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ConferenceStandInGateway> StartAsync(IConferenceConnector connector, GatewayLaunch launch, GatewayKind kind, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var gateway = new ConferenceStandInGateway(launch, kind, time);
        launch.Observer.OnStateChanged(gateway, GatewayRunState.Starting, "joining");
        try
        {
            gateway._session = await connector.JoinAsync(new ConferenceJoinRequest(launch.ConferenceId, "stand-in " + kind, BotRole.Subscriber), cancellationToken);
            launch.Observer.OnRoomPolicyObserved(gateway, gateway._session.RequiresE2ee);
            gateway._events = Task.Run(gateway.FollowEventsAsync, CancellationToken.None);
            gateway._subscription = await gateway._session.SubscribeAsync(new SubscriptionRequest(), gateway, cancellationToken);
        }
        catch (ConferenceException e)
        {
            await gateway.DisposeAsync();
            throw new GatewayStartException(e.Kind == ConferenceErrorKind.NotFound ? "conference-not-found" : "sfu-unavailable", e.Message, e);
        }
        gateway._state = GatewayRunState.Running;
        launch.Observer.OnStateChanged(gateway, GatewayRunState.Running, "subscribed to every track");
        return gateway;
    }

    private async Task FollowEventsAsync()
    {
        await foreach (ConferenceEvent e in _session!.Events.ReadAllAsync())
        {
            if (e is ConferencePolicyChanged policy) _launch.Observer.OnRoomPolicyObserved(this, policy.RequiresE2ee);
            if (e is ConferenceEnded ended) await FinishAsync(GatewayRunState.Stopped, null, "The conference ended: " + ended.Reason);
        }
    }

    public void OnFrame(in ConferenceFrame frame)
    {
        if (_intakeStopped)
        {
            Interlocked.Increment(ref _framesAfterOrder);
            return;
        }
        if (frame.LooksEncrypted)
        {
            Interlocked.CompareExchange(ref _firstFlaggedTicks, _time.GetUtcNow().UtcTicks, 0);
            Interlocked.Increment(ref _flaggedFrames);
            return;
        }
        Interlocked.Increment(ref _clearFrames);
    }

    public void OnTrackStarted(PublishedTrack track)
    {
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
    }

    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        lock (EncryptedVerdicts) EncryptedVerdicts.Add((track.TrackId, format, _time.GetUtcNow()));
        _launch.Observer.OnEncryptedMediaObserved(this, track.ParticipantId, track.TrackId, format);
    }

    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        _intakeStopped = true;
        DateTimeOffset stoppedAt = _time.GetUtcNow();
        OrderReceived.TrySetResult((order, stoppedAt));
        _launch.Observer.OnStateChanged(this, GatewayRunState.Stopping, "leaving: " + order.Decision.ReasonCode);
        await FinishAsync(GatewayRunState.LeftForE2ee, order.Decision.ReasonCode, $"Took {ClearFrames} clear frames; left for E2EE.");
        return new LeaveConfirmation(GatewayId, order.Decision.ReasonCode, stoppedAt, FinalizedPriorOutput: true, "stand-in frame log");
    }

    public async Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken)
    {
        _intakeStopped = true;
        _launch.Observer.OnStateChanged(this, GatewayRunState.Stopping, "stopping");
        await FinishAsync(GatewayRunState.Stopped, null, $"Took {ClearFrames} clear frames.");
        return await Completion;
    }

    public async ValueTask DisposeAsync() => await FinishAsync(GatewayRunState.Failed, null, "Disposed before it finished.");

    private async Task FinishAsync(GatewayRunState state, string? reasonCode, string summary)
    {
        if (_completion.Task.IsCompleted) return;
        _intakeStopped = true;
        if (_subscription is not null) await _subscription.DisposeAsync();
        if (_session is not null) await _session.DisposeAsync();
        _state = state;
        _launch.Observer.OnStateChanged(this, state, summary);
        _completion.TrySetResult(new GatewayOutcome(state, reasonCode, summary, [$"standin/{GatewayId}/frames.log"]));
    }
}

/// <summary>Starts <see cref="ConferenceStandInGateway"/>s through the host's own conference connector.</summary>
public sealed class ConferenceStandInFactory(GatewayKind kind, IConferenceConnector connector) : IGatewayFactory
{
    private readonly List<ConferenceStandInGateway> _started = [];

    public GatewayKind Kind { get; } = kind;

    public IReadOnlyList<ConferenceStandInGateway> Started
    {
        get { lock (_started) return [.. _started]; }
    }

    public async Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        ConferenceStandInGateway gateway = await ConferenceStandInGateway.StartAsync(connector, launch, Kind, TimeProvider.System, cancellationToken);
        lock (_started) _started.Add(gateway);
        return gateway;
    }
}
