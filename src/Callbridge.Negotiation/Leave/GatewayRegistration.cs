namespace Callbridge.Negotiation.Leave;

/// <summary>A running gateway the coordinator watches.</summary>
public sealed record GatewayRegistration(
    string ConferenceId,
    string GatewayId,
    GatewayKind Kind,
    bool NeedsDecodedMedia,
    IE2eeLeaveHandler Handler);
