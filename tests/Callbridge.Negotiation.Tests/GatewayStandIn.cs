using Callbridge.Negotiation.Leave;

namespace Callbridge.Negotiation.Tests;

/// <summary>A gateway for coordinator tests: records every order and behaves as the test configures.</summary>
public sealed class GatewayStandIn(string gatewayId, TimeProvider time) : IE2eeLeaveHandler
{
    public enum Behaviour { ConfirmAtOnce, NeverConfirm, Throw, ConfirmWrongReason }

    private int _calls;

    public Behaviour Mode { get; init; } = Behaviour.ConfirmAtOnce;
    public List<LeaveNowOrder> Orders { get; } = [];
    public int Calls => Volatile.Read(ref _calls);
    public bool TakingMedia { get; private set; } = true;
    public string? ReasonInOutput { get; private set; }
    public TaskCompletionSource<CancellationToken> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (Orders) { Orders.Add(order); }
        TakingMedia = false;
        Entered.TrySetResult(cancellationToken);
        switch (Mode)
        {
            case Behaviour.NeverConfirm:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case Behaviour.Throw:
                throw new IOException("disk full while sealing the spool");
            default:
                ReasonInOutput = order.Decision.ReasonCode;
                return new LeaveConfirmation(gatewayId, Mode == Behaviour.ConfirmWrongReason ? ReasonCodes.Ok : order.Decision.ReasonCode,
                    time.GetUtcNow(), FinalizedPriorOutput: true, "recording manifest");
        }
    }
}
