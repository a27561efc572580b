namespace Callbridge.Negotiation;

/// <summary>What a tenant can switch off. Dial-in and dial-out are one feature to a tenant: "phone".</summary>
public enum GatewayFeature
{
    Recording,
    Phone,
    ServerCaptions,
    Presence,
}

public static class GatewayKindExtensions
{
    public static GatewayFeature Feature(this GatewayKind kind) => kind switch
    {
        GatewayKind.Recording => GatewayFeature.Recording,
        GatewayKind.PstnDialIn or GatewayKind.PstnDialOut => GatewayFeature.Phone,
        GatewayKind.ServerCaptions => GatewayFeature.ServerCaptions,
        _ => GatewayFeature.Presence,
    };

    public static bool IsPhone(this GatewayKind kind) => kind is GatewayKind.PstnDialIn or GatewayKind.PstnDialOut;
}
