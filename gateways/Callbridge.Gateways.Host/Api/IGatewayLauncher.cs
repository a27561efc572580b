using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// Starts one kind of gateway after the negotiator allowed it. Each gateway registers one; a kind with
/// no launcher on this host is answered with 503 gateway-unavailable, after the decision was recorded.
/// </summary>
public interface IGatewayLauncher
{
    GatewayKind Kind { get; }

    /// <summary>Starts the gateway and returns its public status.</summary>
    Task<GatewayStatus> LaunchAsync(string tenantId, string conferenceId, string gatewayId, string? destination, CancellationToken cancellationToken);
}

/// <summary>What the API reports of a running or finished gateway.</summary>
public sealed record GatewayStatus(string GatewayId, string ConferenceId, string Kind, string State, DateTimeOffset Since);
