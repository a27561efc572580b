using Callbridge.Conference;
using Callbridge.Negotiation;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways;

/// <summary>
/// What every media gateway does the same way while it follows one conference: the intake switch (off once,
/// with the instant it went off), the run state reported to the host, the conference's events (room policy
/// reported and obeyed, the rest handed to the gateway), encrypted tracks reported, and a best-effort leave.
/// </summary>
/// <remarks>
/// The intake switch is read on the media core's receive loop for every frame: one volatile read, no lock.
/// Everything else may be called from any thread.
/// </remarks>
public sealed partial class ConferenceFollower
{
    /// <summary>Leaving the SFU is best effort: a dead signalling link must not hold the gateway's output back.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(5);

    private readonly IGateway _gateway;
    private readonly IConferenceSession _session;
    private readonly IGatewayObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private GatewayRunState _state = GatewayRunState.Starting;
    private int _takingMedia = 1;
    private long _mediaStoppedAt;

    public ConferenceFollower(IGateway gateway, IConferenceSession session, IGatewayObserver observer, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _gateway = gateway;
        _session = session;
        _observer = observer;
        _time = time;
        _logger = logger;
    }

    /// <summary>False from the first <see cref="StopTakingMedia"/> on: no frame is read after that.</summary>
    public bool TakingMedia => Volatile.Read(ref _takingMedia) == 1;

    /// <summary>When intake stopped (now, while it has not).</summary>
    public DateTimeOffset MediaStoppedAt
    {
        get
        {
            long ticks = Interlocked.Read(ref _mediaStoppedAt);
            return ticks == 0 ? _time.GetUtcNow() : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public GatewayRunState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Stops intake (the first call wins) and returns the instant it stopped.</summary>
    public DateTimeOffset StopTakingMedia()
    {
        if (Interlocked.Exchange(ref _takingMedia, 0) == 1)
        {
            Interlocked.Exchange(ref _mediaStoppedAt, _time.GetUtcNow().UtcTicks);
        }

        return MediaStoppedAt;
    }

    /// <summary>Moves to <paramref name="state"/> and tells the host once per change.</summary>
    public void SetState(GatewayRunState state, string? detail)
    {
        lock (_gate)
        {
            if (_state == state)
            {
                return;
            }

            _state = state;
        }

        _observer.OnStateChanged(_gateway, state, detail);
    }

    /// <summary>The detector marked <paramref name="track"/> encrypted: intake stops at once and the host hears of it.</summary>
    public void ReportEncryptedTrack(PublishedTrack track, string format)
    {
        ArgumentNullException.ThrowIfNull(track);
        StopTakingMedia();
        LogEncryptedTrack(_logger, _gateway.Kind, _gateway.GatewayId, track.TrackId, format);
        _observer.OnEncryptedMediaObserved(_gateway, track.ParticipantId, track.TrackId, format);
    }

    /// <summary>
    /// Reads the session's events until <paramref name="cancellationToken"/>: reports the room policy (first
    /// value and every change) and stops intake when it turns to E2EE, since the leave-now order follows from
    /// the negotiator and nothing may be read in between; every other event goes to <paramref name="onEvent"/>.
    /// </summary>
    public async Task RunEventsAsync(Action<ConferenceEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        // The session's policy may already have turned while this loop was starting, ahead of its event in the
        // channel: the first report obeys it too, or the host would hear "E2EE" while frames were still taken.
        bool requiresE2ee = _session.RequiresE2ee;
        if (requiresE2ee)
        {
            StopTakingMedia();
        }

        _observer.OnRoomPolicyObserved(_gateway, requiresE2ee);
        try
        {
            await foreach (ConferenceEvent e in _session.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e is ConferencePolicyChanged policy)
                {
                    if (policy.RequiresE2ee)
                    {
                        StopTakingMedia();
                    }

                    _observer.OnRoomPolicyObserved(_gateway, policy.RequiresE2ee);
                    continue;
                }

                onEvent(e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Disposes <paramref name="subscription"/> and leaves the conference, each within <see cref="LeaveTimeout"/>; failures are logged, never thrown.</summary>
    public async Task LeaveAsync(IConferenceSubscription? subscription)
    {
        if (subscription is not null)
        {
            await QuietlyAsync(subscription.DisposeAsync().AsTask(), "unsubscribe").ConfigureAwait(false);
        }

        await QuietlyAsync(_session.LeaveAsync(CancellationToken.None), "leave").ConfigureAwait(false);
    }

    private async Task QuietlyAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(LeaveTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConferenceException or TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            LogLeaveStepFailed(_logger, _gateway.Kind, _gateway.GatewayId, what, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {GatewayId}: track {TrackId} is end-to-end encrypted ({Format}); intake stopped")]
    private static partial void LogEncryptedTrack(ILogger logger, GatewayKind kind, string gatewayId, string trackId, string format);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {GatewayId}: {Step} failed: {Error}")]
    private static partial void LogLeaveStepFailed(ILogger logger, GatewayKind kind, string gatewayId, string step, string error);
}
