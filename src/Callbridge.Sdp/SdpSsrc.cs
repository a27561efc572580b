namespace Callbridge.Sdp;

/// <summary>a=ssrc (RFC 5576 §4.1): SSRC, source attribute (cname, msid, ...) and optional value.</summary>
public sealed record SdpSsrc(uint Ssrc, string Attribute, string? Value = null)
{
    public static bool TryParse(string value, out SdpSsrc? ssrc)
    {
        ssrc = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !SdpText.TryUInt(value[..space], out uint id))
        {
            return false;
        }

        string rest = value[(space + 1)..];
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? rest : rest[..colon];
        if (!SdpText.IsToken(name))
        {
            return false;
        }

        ssrc = new SdpSsrc(id, name, colon < 0 ? null : rest[(colon + 1)..]);
        return true;
    }

    public override string ToString() => Value is null
        ? SdpText.Invariant($"{Ssrc} {Attribute}")
        : SdpText.Invariant($"{Ssrc} {Attribute}:{Value}");
}
