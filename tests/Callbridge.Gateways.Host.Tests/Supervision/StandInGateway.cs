using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>How a <see cref="StandInGateway"/> behaves when it is asked to stop or leave.</summary>
public sealed record StandInBehaviour
{
    /// <summary>How long stopping (and finalizing) takes.</summary>
    public TimeSpan StopTakes { get; init; }

    /// <summary>Never completes a stop: the host has to dispose it.</summary>
    public bool IgnoresStop { get; init; }

    /// <summary>Never confirms a leave-now order: the coordinator's deadline force-stops it.</summary>
    public bool IgnoresLeaveNow { get; init; }
}

/// <summary>
/// A gateway for the host's tests: it "runs" in a conference without media, lets the test raise what a real
/// gateway reports (encrypted tracks, room policy, captions, call progress), and obeys stop and leave-now as
/// the contract says: stop intake, finalize, record the reason in its own output ("manifest"), confirm.
/// </summary>
public sealed class StandInGateway : IGateway
{
    private readonly TaskCompletionSource<GatewayOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _outputs = [];
    private readonly TimeProvider _time;
    private GatewayRunState _state = GatewayRunState.Running;

    public StandInGateway(GatewayLaunch launch, GatewayKind kind, StandInBehaviour behaviour, TimeProvider time)
    {
        Launch = launch;
        Kind = kind;
        Behaviour = behaviour;
        _time = time;
        _outputs.Add($"standin/{launch.GatewayId}/media.bin");
    }

    public GatewayLaunch Launch { get; }

    public StandInBehaviour Behaviour { get; }

    public string GatewayId => Launch.GatewayId;

    public string ConferenceId => Launch.ConferenceId;

    public GatewayKind Kind { get; }

    public bool NeedsDecodedMedia => Kind != GatewayKind.PresenceOnly;

    public GatewayRunState State => _state;

    public Task<GatewayOutcome> Completion => _completion.Task;

    /// <summary>Every leave-now order received, with when it arrived.</summary>
    public List<(LeaveNowOrder Order, DateTimeOffset At)> Orders { get; } = [];

    /// <summary>What the stand-in wrote as its "manifest": the reason it left, when it left for E2EE.</summary>
    public string? ReasonInManifest { get; private set; }

    public bool Disposed { get; private set; }

    public TaskCompletionSource<LeaveNowOrder> OrderReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        lock (Orders) Orders.Add((order, _time.GetUtcNow()));
        OrderReceived.TrySetResult(order);
        DateTimeOffset stoppedAt = _time.GetUtcNow();
        Move(GatewayRunState.Stopping, "leaving: " + order.Decision.ReasonCode);
        if (Behaviour.IgnoresLeaveNow) await Task.Delay(Timeout.Infinite, cancellationToken);
        ReasonInManifest = order.Decision.ReasonCode;
        lock (_outputs) _outputs.Add($"standin/{GatewayId}/manifest.json");
        Complete(GatewayRunState.LeftForE2ee, order.Decision.ReasonCode, "Left for E2EE; what came before is kept.");
        return new LeaveConfirmation(GatewayId, order.Decision.ReasonCode, stoppedAt, FinalizedPriorOutput: true, "stand-in manifest");
    }

    public async Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken)
    {
        Move(GatewayRunState.Stopping, "stopping");
        if (Behaviour.IgnoresStop) await Task.Delay(Timeout.Infinite, cancellationToken);
        if (Behaviour.StopTakes > TimeSpan.Zero) await Task.Delay(Behaviour.StopTakes, _time, CancellationToken.None);
        lock (_outputs) _outputs.Add($"standin/{GatewayId}/manifest.json");
        Complete(GatewayRunState.Stopped, null, "Stopped; output final.");
        return await Completion;
    }

    /// <summary>The gateway ends by itself (its session saw the conference end, or it failed).</summary>
    public void EndOnItsOwn(GatewayRunState state, string summary) => Complete(state, null, summary);

    public void ReportEncrypted(string participantId, string trackId, string format = "jframe") =>
        Launch.Observer.OnEncryptedMediaObserved(this, participantId, trackId, format);

    public void ReportRoomPolicy(bool requiresE2ee) => Launch.Observer.OnRoomPolicyObserved(this, requiresE2ee);

    public void Caption(CaptionUpdate caption) => Launch.Observer.OnCaption(this, caption);

    public void Progress(CallProgress progress, string? detail) => Launch.Observer.OnCallProgress(this, progress, detail);

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        Complete(GatewayRunState.Failed, null, "Disposed before it finished.");
        return ValueTask.CompletedTask;
    }

    private void Move(GatewayRunState state, string detail)
    {
        if (_completion.Task.IsCompleted) return;
        _state = state;
        Launch.Observer.OnStateChanged(this, state, detail);
    }

    private void Complete(GatewayRunState state, string? reasonCode, string summary)
    {
        if (_completion.Task.IsCompleted) return;
        _state = state;
        Launch.Observer.OnStateChanged(this, state, summary);
        string[] outputs;
        lock (_outputs) outputs = [.. _outputs];
        _completion.TrySetResult(new GatewayOutcome(state, reasonCode, summary, outputs));
    }
}

/// <summary>Starts <see cref="StandInGateway"/>s of one kind and keeps them for the test.</summary>
public sealed class StandInGatewayFactory(GatewayKind kind, TimeProvider? time = null) : IGatewayFactory
{
    private readonly List<StandInGateway> _started = [];

    public GatewayKind Kind { get; } = kind;

    public StandInBehaviour Behaviour { get; set; } = new();

    /// <summary>When set, the next starts throw it.</summary>
    public Exception? StartFailure { get; set; }

    public IReadOnlyList<StandInGateway> Started
    {
        get { lock (_started) return [.. _started]; }
    }

    public StandInGateway Single(string gatewayId) => Started.Single(g => g.GatewayId == gatewayId);

    public Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        if (StartFailure is not null) throw StartFailure;
        var gateway = new StandInGateway(launch, Kind, Behaviour, time ?? TimeProvider.System);
        lock (_started) _started.Add(gateway);
        launch.Observer.OnStateChanged(gateway, GatewayRunState.Starting, "joining");
        launch.Observer.OnStateChanged(gateway, GatewayRunState.Running, "in the conference");
        return Task.FromResult<IGateway>(gateway);
    }
}
