namespace Callbridge.Negotiation.Leave;

/// <summary>The order a running gateway receives once, when the conference becomes one it must not read.</summary>
/// <param name="Deadline">The gateway must confirm before this instant or it is force-stopped.</param>
public sealed record LeaveNowOrder(
    string ConferenceId,
    string GatewayId,
    GatewayKind Kind,
    CapabilityDecision Decision,
    DateTimeOffset IssuedAt,
    DateTimeOffset Deadline);
