namespace Callbridge.Sdp;

/// <summary>a=ssrc-group (RFC 5576 §4.2), e.g. FID primary rtx, or SIM for simulcast.</summary>
public sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    public static bool TryParse(string value, out SdpSsrcGroup? group)
    {
        group = null;
        string[] f = SdpText.Fields(value);
        if (f.Length < 2 || !SdpText.IsToken(f[0]))
        {
            return false;
        }

        var ssrcs = new uint[f.Length - 1];
        for (int i = 1; i < f.Length; i++)
        {
            if (!SdpText.TryUInt(f[i], out ssrcs[i - 1]))
            {
                return false;
            }
        }

        group = new SdpSsrcGroup(f[0], ssrcs);
        return true;
    }

    public bool Equals(SdpSsrcGroup? other) => other is not null && Semantics == other.Semantics && Ssrcs.SequenceEqual(other.Ssrcs);

    public override int GetHashCode() => HashCode.Combine(Semantics, Ssrcs.Count);

    public override string ToString() => Semantics + " " + string.Join(' ', Ssrcs);
}
