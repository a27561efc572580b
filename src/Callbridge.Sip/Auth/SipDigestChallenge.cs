using System.Text;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Auth;

/// <summary>A Digest challenge from WWW-Authenticate (401) or Proxy-Authenticate (407): RFC 3261 §22.4,
/// §25.1 digest-cln; RFC 7616 §3.3; RFC 8760 (SHA-256 in SIP).</summary>
public sealed class SipDigestChallenge
{
    public string Realm { get; private init; } = string.Empty;
    public string Nonce { get; private init; } = string.Empty;
    public string? Opaque { get; private init; }
    /// <summary>MD5 when absent (RFC 2617 §3.2.1); also SHA-256, MD5-sess, SHA-256-sess.</summary>
    public string Algorithm { get; private init; } = "MD5";
    public IReadOnlyList<string> Qop { get; private init; } = [];
    public bool Stale { get; private init; }

    /// <summary>challenge = "Digest" LWS digest-cln *(COMMA digest-cln); digest-cln = auth-param
    /// (token EQUAL (token / quoted-string)). False for another scheme or a missing realm/nonce.</summary>
    public static bool TryParse(string value, out SipDigestChallenge challenge)
    {
        challenge = null!;
        if (!TryParseParams(value, "Digest", out var p)) return false;
        if (!p.TryGetValue("realm", out var realm) || !p.TryGetValue("nonce", out var nonce)) return false;
        challenge = new SipDigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = p.GetValueOrDefault("opaque"),
            Algorithm = p.GetValueOrDefault("algorithm") ?? "MD5",
            Qop = (p.GetValueOrDefault("qop") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Stale = string.Equals(p.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase),
        };
        return true;
    }

    /// <summary>Reads "Scheme a=b, c="d"" into a dictionary with unquoted values.</summary>
    internal static bool TryParseParams(string value, string scheme, out Dictionary<string, string> result)
    {
        result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = Encoding.Latin1.GetBytes(value ?? string.Empty).AsSpan();
        int i = SipGrammar.SkipLws(s, 0);
        int t = SipGrammar.ScanToken(s, i);
        if (t == i || !Encoding.Latin1.GetString(s[i..t]).Equals(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        i = SipGrammar.SkipLws(s, t);
        if (i == t && i < s.Length) return false;
        while (i < s.Length)
        {
            int n = SipGrammar.ScanToken(s, i);
            if (n == i) return false;
            string name = Encoding.Latin1.GetString(s[i..n]);
            i = SipGrammar.SkipLws(s, n);
            if (i >= s.Length || s[i] != '=') return false;
            i = SipGrammar.SkipLws(s, i + 1);
            int v = i < s.Length && s[i] == '"' ? SipGrammar.ScanQuotedString(s, i) : SipGrammar.ScanToken(s, i);
            if (v <= i) return false;
            result[name] = SipParameters.Unquote(Encoding.Latin1.GetString(s[i..v]));
            i = SipGrammar.SkipLws(s, v);
            if (i >= s.Length) break;
            if (s[i] != ',') return false;
            i = SipGrammar.SkipLws(s, i + 1);
        }
        return true;
    }
}
