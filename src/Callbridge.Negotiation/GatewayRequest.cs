namespace Callbridge.Negotiation;

/// <summary>Who asks. All shipped kinds need decoded media; <see cref="NeedsDecodedMedia"/> is an input of
/// its own so that E2EE (which hides media, not presence) only affects gateways that read media.</summary>
public readonly record struct GatewayRequest(GatewayKind Kind, bool NeedsDecodedMedia, GatewayPhase Phase)
{
    public static GatewayRequest For(GatewayKind kind, GatewayPhase phase) =>
        new(kind, kind != GatewayKind.PresenceOnly, phase);
}
