using Callbridge.Negotiation.Leave;

namespace Callbridge.Gateways.Host.Gateways;

/// <summary>
/// Stands between the coordinator and a gateway: the order is recorded and noticed to the host (a decision
/// notice with outcome LeaveNow) before the gateway carries it out.
/// </summary>
internal sealed class SupervisedLeaveHandler(GatewaySupervisor supervisor, SupervisedGateway record, IGateway gateway) : IE2eeLeaveHandler
{
    public Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        supervisor.OnLeaveOrdered(record, order);
        return gateway.LeaveNowAsync(order, cancellationToken);
    }
}
