namespace Callbridge.Sdp;

/// <summary>Attribute names of <see cref="SdpDirection"/> (RFC 8866 §6.7) and the answerer's view of them.</summary>
public static class SdpDirections
{
    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendRecv => "sendrecv",
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        _ => "inactive",
    };

    public static bool TryParse(string name, out SdpDirection direction)
    {
        switch (name)
        {
            case "sendrecv": direction = SdpDirection.SendRecv; return true;
            case "sendonly": direction = SdpDirection.SendOnly; return true;
            case "recvonly": direction = SdpDirection.RecvOnly; return true;
            case "inactive": direction = SdpDirection.Inactive; return true;
            default: direction = default; return false;
        }
    }

    /// <summary>The same direction seen from the other side (RFC 3264 §6.1).</summary>
    public static SdpDirection Reverse(this SdpDirection direction) =>
        (direction.HasFlag(SdpDirection.SendOnly) ? SdpDirection.RecvOnly : 0) | (direction.HasFlag(SdpDirection.RecvOnly) ? SdpDirection.SendOnly : 0);
}
