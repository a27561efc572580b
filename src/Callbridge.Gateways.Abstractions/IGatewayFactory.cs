using Callbridge.Negotiation;

namespace Callbridge.Gateways;

/// <summary>Starts gateways of one kind. The host asks the negotiator first; a factory never decides policy.</summary>
public interface IGatewayFactory
{
    GatewayKind Kind { get; }

    /// <summary>
    /// Starts a gateway and returns once it is in the conference (state <see cref="GatewayRunState.Running"/>),
    /// or throws <see cref="GatewayStartException"/> saying why it could not start.
    /// </summary>
    Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken);
}
