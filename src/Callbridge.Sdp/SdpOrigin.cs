namespace Callbridge.Sdp;

/// <summary>o= (RFC 8866 §5.2): username, session id, version, network type, address type, address.</summary>
public sealed record SdpOrigin(string Username, string SessionId, string SessionVersion, string NetworkType, string AddressType, string Address)
{
    public static bool TryParse(string value, out SdpOrigin? origin)
    {
        string[] f = SdpText.Fields(value);
        // Session id and version are numeric (JSEP §5.2.1 uses up to 63-bit values; Janus uses 64-bit).
        origin = f.Length == 6 && f.All(SdpText.IsWord) && SdpText.TryULong(f[1], out _) && SdpText.TryULong(f[2], out _)
            ? new SdpOrigin(f[0], f[1], f[2], f[3], f[4], f[5]) : null;
        return origin is not null;
    }

    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
