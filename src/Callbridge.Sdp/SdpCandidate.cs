using System.Text;

namespace Callbridge.Sdp;

/// <summary>
/// a=candidate (RFC 8839 §5.1): foundation, component, transport, priority, address (IP or an mDNS
/// name), port, type, optional raddr/rport, then extension name/value pairs (generation, network-id,
/// ufrag, tcptype, ...), kept in order.
/// </summary>
public sealed record SdpCandidate(
    string Foundation,
    int Component,
    string Transport,
    uint Priority,
    string Address,
    int Port,
    string Type,
    string? RelatedAddress = null,
    int? RelatedPort = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; init; } = [];

    /// <summary>Parses the value after "candidate:"; a leading "candidate:" (trickle form) is accepted too.</summary>
    public static bool TryParse(string value, out SdpCandidate? candidate)
    {
        candidate = null;
        if (value.StartsWith("candidate:", StringComparison.Ordinal))
        {
            value = value["candidate:".Length..];
        }

        string[] f = SdpText.Fields(value);
        // foundation = 1*32ice-char; component-id = 1*3DIGIT; then transport, priority, address, port, "typ" type.
        if (f.Length < 8 || f[0].Length is 0 or > 32 || !f[0].All(IsIceChar)
            || !SdpText.TryInt(f[1], 1, 256, out int component)
            || !SdpText.IsToken(f[2])
            || !SdpText.TryUInt(f[3], out uint priority)
            || !SdpText.IsWord(f[4])
            || !SdpText.TryInt(f[5], 0, 65535, out int port)
            || f[6] != "typ" || !SdpText.IsToken(f[7]))
        {
            return false;
        }

        string? relatedAddress = null;
        int? relatedPort = null;
        var extensions = new List<KeyValuePair<string, string>>();
        int i = 8;
        if (i + 1 < f.Length && f[i] == "raddr")
        {
            if (!SdpText.IsWord(f[i + 1]))
            {
                return false;
            }

            relatedAddress = f[i + 1];
            i += 2;
        }

        if (i + 1 < f.Length && f[i] == "rport")
        {
            if (!SdpText.TryInt(f[i + 1], 0, 65535, out int rport))
            {
                return false;
            }

            relatedPort = rport;
            i += 2;
        }

        // cand-extension = extension-att-name SP extension-att-value: always in pairs.
        if ((f.Length - i) % 2 != 0)
        {
            return false;
        }

        for (; i < f.Length; i += 2)
        {
            if (!SdpText.IsWord(f[i]) || !SdpText.IsWord(f[i + 1]))
            {
                return false;
            }

            extensions.Add(new(f[i], f[i + 1]));
        }

        candidate = new SdpCandidate(f[0], component, f[2], priority, f[4], port, f[7], relatedAddress, relatedPort) { Extensions = extensions };
        return true;
    }

    private static bool IsIceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    public bool Equals(SdpCandidate? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(SdpText.Invariant($"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {Type}"));
        if (RelatedAddress is not null)
        {
            sb.Append(" raddr ").Append(RelatedAddress);
        }

        if (RelatedPort is { } rport)
        {
            sb.Append(SdpText.Invariant($" rport {rport}"));
        }

        foreach (KeyValuePair<string, string> extension in Extensions)
        {
            sb.Append(' ').Append(extension.Key).Append(' ').Append(extension.Value);
        }

        return sb.ToString();
    }
}
