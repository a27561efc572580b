namespace Callbridge.Gateways;

/// <summary>Everything a gateway needs to start in one conference.</summary>
/// <param name="TenantId">The tenant the API key belongs to (limits, storage prefix, notices).</param>
/// <param name="GatewayId">Unique per start; names the gateway's output and its notices.</param>
/// <param name="Destination">Dial-out only: the number or SIP URI to call (already allow-listed by the caller).</param>
/// <param name="Observer">Receives the gateway's state changes and the E2EE evidence its media shows.</param>
public sealed record GatewayLaunch(
    string TenantId,
    string ConferenceId,
    string GatewayId,
    string? Destination,
    IGatewayObserver Observer);
