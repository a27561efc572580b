namespace Callbridge.Sdp;

/// <summary>a=msid (RFC 8830 §2): stream id ("-" for none) and optional track id.</summary>
public sealed record SdpMsid(string StreamId, string? TrackId = null)
{
    public static bool TryParse(string value, out SdpMsid? msid)
    {
        string[] f = SdpText.Fields(value);
        msid = f.Length is 1 or 2 && f.All(SdpText.IsWord) ? new SdpMsid(f[0], f.Length == 2 ? f[1] : null) : null;
        return msid is not null;
    }

    public override string ToString() => TrackId is null ? StreamId : StreamId + " " + TrackId;
}
