namespace Callbridge.Negotiation.Impact;

/// <summary>A gateway currently in the conference. <paramref name="Label"/> is what the host recognizes
/// (e.g. "Phone caller +1 555 0100", "Recording").</summary>
public sealed record RunningGateway(string GatewayId, GatewayKind Kind, bool NeedsDecodedMedia, string Label)
{
    public static RunningGateway Of(string gatewayId, GatewayKind kind, string label) =>
        new(gatewayId, kind, kind != GatewayKind.PresenceOnly, label);
}
