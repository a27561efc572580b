namespace Callbridge.Negotiation;

/// <summary>The server-side participants the suite runs. What a kind needs from the media is a separate
/// input (<see cref="GatewayRequest.NeedsDecodedMedia"/>), so a kind that only needs presence fits the model.</summary>
public enum GatewayKind
{
    Recording,
    PstnDialIn,
    PstnDialOut,
    ServerCaptions,
    /// <summary>A bot that only joins (roster, presence); it never decodes media.</summary>
    PresenceOnly,
}
