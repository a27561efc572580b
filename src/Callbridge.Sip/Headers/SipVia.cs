using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Headers;

/// <summary>One via-parm (§20.42): sent-protocol, sent-by and parameters (branch, received, rport, maddr, ttl).</summary>
public sealed class SipVia
{
    /// <summary>The magic cookie that marks an RFC 3261 branch (§8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    public string ProtocolName { get; set; } = "SIP";
    public string ProtocolVersion { get; set; } = "2.0";
    public string Transport { get; set; } = "UDP";
    public string Host { get; set; } = string.Empty;
    public int? Port { get; set; }
    public SipParameters Parameters { get; } = new();

    public string? Branch { get => Parameters["branch"]; set => Parameters.Set("branch", value); }
    public string? Received { get => Parameters["received"]; set => Parameters.Set("received", value); }
    public string? Maddr => Parameters["maddr"];
    public int? Ttl => int.TryParse(Parameters["ttl"], out int t) ? t : null;
    /// <summary>True when rport is present (RFC 3581), with or without a value.</summary>
    public bool HasRport => Parameters.Has("rport");
    public int? RportValue => int.TryParse(Parameters["rport"], out int p) ? p : null;
    /// <summary>RFC 3261 transaction id present; otherwise the request is matched the RFC 2543 way (§17.2.3).</summary>
    public bool IsRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    public static bool TryParseList(ReadOnlySpan<byte> s, List<SipVia> into)
    {
        int i = 0;
        while (true)
        {
            int e = SipHeaderSyntax.ScanVia(s, i, out var p);
            if (e < 0) return false;
            var via = new SipVia
            {
                ProtocolName = Encoding.Latin1.GetString(p.ProtocolName.Of(s)),
                ProtocolVersion = Encoding.Latin1.GetString(p.ProtocolVersion.Of(s)),
                Transport = Encoding.Latin1.GetString(p.Transport.Of(s)).ToUpperInvariant(),
                Host = Encoding.Latin1.GetString(p.Host.Of(s)),
                Port = p.Port >= 0 ? p.Port : null,
            };
            via.Parameters.AddRange(SipParameters.ParseGeneric(p.Parameters.Of(s)));
            into.Add(via);
            if (e >= s.Length) return true;
            if (s[e] != ',') return false;
            i = e + 1;
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder(80).Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport)
            .Append(' ').Append(Host);
        if (Port is int port) sb.Append(':').Append(port);
        Parameters.AppendTo(sb);
        return sb.ToString();
    }
}
