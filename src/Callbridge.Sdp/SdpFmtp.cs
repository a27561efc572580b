namespace Callbridge.Sdp;

/// <summary>a=fmtp (RFC 8866 §6.15): payload type and format-specific parameters, kept verbatim.</summary>
public sealed record SdpFmtp(int PayloadType, string Parameters)
{
    public static bool TryParse(string value, out SdpFmtp? fmtp)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        fmtp = space > 0 && SdpText.TryInt(value[..space], 0, 127, out int pt) && value.Length > space + 1
            ? new SdpFmtp(pt, value[(space + 1)..]) : null;
        return fmtp is not null;
    }

    /// <summary>"key=value;key=value" parameters as pairs (keys lowercased; values verbatim).</summary>
    public IReadOnlyDictionary<string, string> ParseParameters()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in Parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            result[(eq < 0 ? item : item[..eq]).ToLowerInvariant()] = eq < 0 ? string.Empty : item[(eq + 1)..];
        }

        return result;
    }

    public override string ToString() => SdpText.Invariant($"{PayloadType} {Parameters}");
}
