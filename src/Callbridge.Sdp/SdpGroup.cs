namespace Callbridge.Sdp;

/// <summary>a=group (RFC 5888 §5), e.g. BUNDLE with its mids (RFC 9143 §7.1). Mids may be empty for an empty group.</summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    public static bool TryParse(string value, out SdpGroup? group)
    {
        string[] f = SdpText.Fields(value);
        group = f.Length >= 1 && f.All(SdpText.IsToken) ? new SdpGroup(f[0], f[1..]) : null;
        return group is not null;
    }

    public bool Equals(SdpGroup? other) => other is not null && Semantics == other.Semantics && Mids.SequenceEqual(other.Mids);

    public override int GetHashCode() => HashCode.Combine(Semantics, Mids.Count);

    public override string ToString() => Mids.Count == 0 ? Semantics : Semantics + " " + string.Join(' ', Mids);
}
