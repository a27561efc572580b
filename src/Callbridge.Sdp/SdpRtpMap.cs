namespace Callbridge.Sdp;

/// <summary>a=rtpmap (RFC 8866 §6.6): payload type, encoding name, clock rate, optional channels.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels = null)
{
    public static bool TryParse(string value, out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        string[] f = SdpText.Fields(value);
        if (f.Length != 2 || !SdpText.TryInt(f[0], 0, 127, out int pt))
        {
            return false;
        }

        string[] parts = f[1].Split('/');
        if (parts.Length is < 2 or > 3 || !SdpText.IsToken(parts[0]) || !SdpText.TryInt(parts[1], 1, int.MaxValue, out int clock))
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!SdpText.TryInt(parts[2], 1, 255, out int c))
            {
                return false;
            }

            channels = c;
        }

        rtpMap = new SdpRtpMap(pt, parts[0], clock, channels);
        return true;
    }

    public override string ToString() => Channels is { } c
        ? SdpText.Invariant($"{PayloadType} {EncodingName}/{ClockRate}/{c}")
        : SdpText.Invariant($"{PayloadType} {EncodingName}/{ClockRate}");
}
