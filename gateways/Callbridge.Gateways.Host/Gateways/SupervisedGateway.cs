using Callbridge.Gateways.Host.Api;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Impact;
using Callbridge.Negotiation.Leave;

namespace Callbridge.Gateways.Host.Gateways;

/// <summary>
/// One gateway the host started: its identity, what it is doing now, and once it ended, how. Kept after the
/// gateway ends so its outcome can be read. Mutable state is guarded by <c>_gate</c>; every read returns a
/// consistent <see cref="GatewayStatus"/> snapshot.
/// </summary>
internal sealed class SupervisedGateway
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<GatewayStatus> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _leaveSettled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ordered;
    private GatewayRunState _state = GatewayRunState.Starting;
    private DateTimeOffset _since;
    private string? _detail;
    private string? _reasonCode;
    private string? _reason;
    private string? _callProgress;
    private DateTimeOffset? _endedAt;
    private GatewayOutcome? _outcome;
    private string? _stopCause;

    public SupervisedGateway(TenantEntry tenant, string conferenceId, string gatewayId, GatewayKind kind, string? destination, DateTimeOffset at)
    {
        Tenant = tenant;
        ConferenceId = conferenceId;
        GatewayId = gatewayId;
        Kind = kind;
        Destination = destination;
        StartedAt = at;
        _since = at;
        Label = kind switch
        {
            GatewayKind.Recording => "Recording",
            GatewayKind.ServerCaptions => "Server captions",
            GatewayKind.PstnDialOut => "Phone call to " + destination,
            GatewayKind.PstnDialIn => "Phone caller " + destination,
            _ => "Presence bot",
        };
    }

    public TenantEntry Tenant { get; }

    public string ConferenceId { get; }

    public string GatewayId { get; }

    public GatewayKind Kind { get; }

    public string? Destination { get; }

    /// <summary>What the host recognizes in the impact preview ("Recording", "Phone call to +4930123456").</summary>
    public string Label { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Set once the factory returned it.</summary>
    public IGateway? Gateway { get; private set; }

    /// <summary>Completes with the final status once the gateway ended (or never started).</summary>
    public Task<GatewayStatus> Ended => _ended.Task;

    /// <summary>A leave-now order reached it; <see cref="LeaveSettled"/> completes once the coordinator knows how it ended.</summary>
    public bool WasOrdered
    {
        get { lock (_gate) return _ordered; }
    }

    public Task LeaveSettled => _leaveSettled.Task;

    public void MarkLeaveSettled() => _leaveSettled.TrySetResult();

    public bool IsLive
    {
        get { lock (_gate) return _endedAt is null; }
    }

    /// <summary>The host asked it to stop (API, shutdown, conference end, leave-now order).</summary>
    public bool HasStopCause
    {
        get { lock (_gate) return _stopCause is not null; }
    }

    public GatewayRunState State
    {
        get { lock (_gate) return _state; }
    }

    public RunningGateway AsRunning() => new(GatewayId, Kind, Gateway?.NeedsDecodedMedia ?? Kind != GatewayKind.PresenceOnly, Label);

    public void Attach(IGateway gateway) => Gateway = gateway;

    /// <summary>Records a state the gateway reported; false when it is the same as before or the gateway already ended.</summary>
    public bool Report(GatewayRunState state, string? detail, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_endedAt is not null || (_state == state && _detail == detail)) return false;
            bool changed = _state != state;
            _state = state;
            _detail = detail ?? _detail;
            if (changed) _since = at;
            return changed;
        }
    }

    public void CallProgressed(string progress)
    {
        lock (_gate) _callProgress = progress;
    }

    /// <summary>Why the host asked it to stop, in words ("Stopped through the API."); the first cause wins.</summary>
    public void StopRequested(string cause)
    {
        lock (_gate) _stopCause ??= cause;
    }

    /// <summary>A leave-now order reached it: the reason code and the host's words are why it stops.</summary>
    public void Ordered(LeaveNowOrder order, DateTimeOffset at)
    {
        lock (_gate)
        {
            _ordered = true;
            _reasonCode = order.Decision.ReasonCode;
            _reason = order.Decision.HostMessage;
            _stopCause ??= "Ordered to leave: the conference became end-to-end encrypted.";
            if (_endedAt is null && _state is GatewayRunState.Starting or GatewayRunState.Running)
            {
                _state = GatewayRunState.Stopping;
                _since = at;
            }
        }
    }

    /// <summary>The gateway ended: its outcome is final. Returns the final status (the first call wins).</summary>
    public GatewayStatus Finish(GatewayOutcome outcome, DateTimeOffset at)
    {
        GatewayStatus status;
        lock (_gate)
        {
            if (_endedAt is not null) return Snapshot();
            _outcome = outcome;
            _state = outcome.FinalState;
            _since = at;
            _endedAt = at;
            _reasonCode ??= outcome.ReasonCode;
            _reason ??= outcome.FinalState switch
            {
                GatewayRunState.LeftForE2ee => "It left because the conference became end-to-end encrypted.",
                GatewayRunState.Failed => "It failed: " + (string.IsNullOrWhiteSpace(_detail) ? outcome.Summary : _detail),
                _ => _stopCause ?? (string.IsNullOrWhiteSpace(_detail) ? "It left the conference." : _detail),
            };
            status = Snapshot();
        }
        _ended.TrySetResult(status);
        return status;
    }

    public GatewayStatus Status()
    {
        lock (_gate) return Snapshot();
    }

    private GatewayStatus Snapshot() => new(
        GatewayId, ConferenceId, GatewayStartRequest.ApiName(Kind), Label, Destination, _state.ToString(), _since, StartedAt, _endedAt,
        _detail, _reasonCode, _reason, _callProgress,
        _outcome is null ? null : new GatewayStatus.FinalOutcome(_outcome.FinalState.ToString(), _outcome.ReasonCode, _outcome.Summary, _outcome.Outputs));
}
