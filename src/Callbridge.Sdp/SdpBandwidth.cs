namespace Callbridge.Sdp;

/// <summary>b= (RFC 8866 §5.8): type (AS, TIAS, CT, ...) and kilobits (bits for TIAS).</summary>
public sealed record SdpBandwidth(string Type, uint Value)
{
    public static bool TryParse(string value, out SdpBandwidth? bandwidth)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        bandwidth = colon > 0 && SdpText.IsToken(value[..colon]) && SdpText.TryUInt(value[(colon + 1)..], out uint v)
            ? new SdpBandwidth(value[..colon], v) : null;
        return bandwidth is not null;
    }

    public override string ToString() => SdpText.Invariant($"{Type}:{Value}");
}
