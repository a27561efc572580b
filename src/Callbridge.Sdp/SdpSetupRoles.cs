namespace Callbridge.Sdp;

/// <summary>a=setup values of <see cref="SdpSetupRole"/> (RFC 4145 §4).</summary>
public static class SdpSetupRoles
{
    public static string ToAttributeValue(this SdpSetupRole role) => role switch
    {
        SdpSetupRole.ActPass => "actpass",
        SdpSetupRole.Active => "active",
        SdpSetupRole.Passive => "passive",
        _ => "holdconn",
    };

    public static bool TryParse(string value, out SdpSetupRole role)
    {
        switch (value)
        {
            case "actpass": role = SdpSetupRole.ActPass; return true;
            case "active": role = SdpSetupRole.Active; return true;
            case "passive": role = SdpSetupRole.Passive; return true;
            case "holdconn": role = SdpSetupRole.HoldConn; return true;
            default: role = default; return false;
        }
    }
}
