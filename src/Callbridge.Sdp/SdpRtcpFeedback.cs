namespace Callbridge.Sdp;

/// <summary>a=rtcp-fb (RFC 4585 §4.2): payload type or "*", feedback type and optional parameter.</summary>
public sealed record SdpRtcpFeedback(string PayloadType, string Type, string? Parameter = null)
{
    public static bool TryParse(string value, out SdpRtcpFeedback? feedback)
    {
        feedback = null;
        string[] f = SdpText.Fields(value);
        if (f.Length < 2 || !(f[0] == "*" || SdpText.TryInt(f[0], 0, 127, out _)) || !SdpText.IsToken(f[1]))
        {
            return false;
        }

        feedback = new SdpRtcpFeedback(f[0], f[1], f.Length > 2 ? string.Join(' ', f[2..]) : null);
        return true;
    }

    public override string ToString() => Parameter is null ? $"{PayloadType} {Type}" : $"{PayloadType} {Type} {Parameter}";
}
