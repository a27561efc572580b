namespace Callbridge.Sdp;

/// <summary>c= (RFC 8866 §5.7): "IN IP4 0.0.0.0" in JSEP descriptions that trickle.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static SdpConnection Placeholder { get; } = new("IN", "IP4", "0.0.0.0");

    public static bool TryParse(string value, out SdpConnection? connection)
    {
        string[] f = SdpText.Fields(value);
        connection = f.Length == 3 && f.All(SdpText.IsWord) ? new SdpConnection(f[0], f[1], f[2]) : null;
        return connection is not null;
    }

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
