namespace Callbridge.Sip.Parsing;

internal enum SipUriScheme : byte { Sip, Sips, Tel, Other }

/// <summary>A range inside the span that was parsed.</summary>
internal readonly record struct TextRange(int Start, int Length)
{
    public static TextRange Empty => default;
    public bool IsEmpty => Length == 0;
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> s) => s.Slice(Start, Length);
}

/// <summary>Where the parts of one URI lie in the parsed text. HasUserInfo distinguishes "sip:@h" from "sip:h".</summary>
internal struct SipUriParts
{
    public SipUriScheme Scheme;
    public TextRange SchemeText, User, Password, Host, Parameters, Headers, Opaque;
    public int Port; // -1 when absent
    public bool HasUserInfo, HasPassword, IsIpv6;
}

/// <summary>RFC 3261 §19.1.1 / §25.1 SIP-URI and SIPS-URI, RFC 3966 tel, RFC 3986 absoluteURI.</summary>
internal static class SipUriSyntax
{
    /// <summary>Validates exactly one URI spanning all of s (no LWS inside, §19.1.1).</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out SipUriParts parts)
    {
        parts = default;
        parts.Port = -1;
        int colon = s.IndexOf((byte)':');
        if (colon <= 0) return false;
        var scheme = s[..colon];
        if (!SipGrammar.IsAlpha(scheme[0])) return false;
        foreach (byte b in scheme)
            if (!(SipGrammar.IsAlpha(b) || SipGrammar.IsDigit(b) || b == '+' || b == '-' || b == '.')) return false;
        parts.SchemeText = new TextRange(0, colon);
        var rest = s[(colon + 1)..];
        int off = colon + 1;
        if (System.Text.Ascii.EqualsIgnoreCase(scheme, "sip"u8)) parts.Scheme = SipUriScheme.Sip;
        else if (System.Text.Ascii.EqualsIgnoreCase(scheme, "sips"u8)) parts.Scheme = SipUriScheme.Sips;
        else if (System.Text.Ascii.EqualsIgnoreCase(scheme, "tel"u8)) parts.Scheme = SipUriScheme.Tel;
        else parts.Scheme = SipUriScheme.Other;

        if (parts.Scheme is SipUriScheme.Tel or SipUriScheme.Other)
        {
            // absoluteURI = scheme ":" ( hier-part / opaque-part ); uric excludes SP, DQUOTE, "<", ">" (RFC 2396 §2.4.3).
            if (rest.IsEmpty) return false;
            foreach (byte b in rest)
                if (b <= 0x20 || b >= 0x7F || b == '"' || b == '<' || b == '>' || b == '\\' || b == '{' || b == '}' || b == '|' || b == '^')
                    return false;
            if (!EscapesValid(rest)) return false;
            parts.Opaque = new TextRange(off, rest.Length);
            return true;
        }

        // userinfo: '@' appears nowhere else in a SIP-URI, so the first one ends the userinfo.
        int at = rest.IndexOf((byte)'@');
        int hostStart = 0;
        if (at >= 0)
        {
            var userinfo = rest[..at];
            int pw = userinfo.IndexOf((byte)':');
            var user = pw >= 0 ? userinfo[..pw] : userinfo;
            if (user.IsEmpty) return false;
            foreach (byte b in user) if (!(SipGrammar.IsUserChar(b) || b == '%')) return false;
            if (!EscapesValid(user)) return false;
            parts.HasUserInfo = true;
            parts.User = new TextRange(off, user.Length);
            if (pw >= 0)
            {
                var password = userinfo[(pw + 1)..];
                foreach (byte b in password) if (!(SipGrammar.IsPasswordChar(b) || b == '%')) return false;
                if (!EscapesValid(password)) return false;
                parts.HasPassword = true;
                parts.Password = new TextRange(off + pw + 1, password.Length);
            }
            hostStart = at + 1;
        }

        // hostport = host [ ":" port ]; host = hostname / IPv4address / IPv6reference
        int i = hostStart;
        if (i >= rest.Length) return false;
        if (rest[i] == '[')
        {
            int close = rest[i..].IndexOf((byte)']');
            if (close < 0) return false;
            var v6 = rest.Slice(i + 1, close - 1);
            if (!IsIpv6(v6)) return false;
            parts.IsIpv6 = true;
            parts.Host = new TextRange(off + i, close + 1);
            i += close + 1;
        }
        else
        {
            int h = i;
            while (i < rest.Length && SipGrammar.IsHostnameChar(rest[i])) i++;
            if (i == h) return false;
            var host = rest[h..i];
            if (host[0] == '-' || host[0] == '.' || host[^1] == '-') return false;
            parts.Host = new TextRange(off + h, i - h);
        }
        if (i < rest.Length && rest[i] == ':')
        {
            int p = ++i;
            while (i < rest.Length && SipGrammar.IsDigit(rest[i])) i++;
            if (!SipGrammar.TryParseUInt(rest[p..i], 65535, out ulong port)) return false;
            parts.Port = (int)port;
        }
        // uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ]
        int ps = i;
        while (i < rest.Length && rest[i] == ';')
        {
            i++;
            int n = i;
            while (i < rest.Length && (SipGrammar.IsParamChar(rest[i]) || rest[i] == '%')) i++;
            if (i == n) return false;
            if (i < rest.Length && rest[i] == '=')
            {
                int v = ++i;
                while (i < rest.Length && (SipGrammar.IsParamChar(rest[i]) || rest[i] == '%')) i++;
                if (i == v) return false;
            }
        }
        if (!EscapesValid(rest[ps..i])) return false;
        parts.Parameters = new TextRange(off + ps, i - ps);
        // headers = "?" header *( "&" header ); header = hname "=" hvalue
        if (i < rest.Length && rest[i] == '?')
        {
            int hs = ++i;
            while (true)
            {
                int n = i;
                while (i < rest.Length && (SipGrammar.IsHeaderChar(rest[i]) || rest[i] == '%')) i++;
                if (i == n || i >= rest.Length || rest[i] != '=') return false;
                i++;
                while (i < rest.Length && (SipGrammar.IsHeaderChar(rest[i]) || rest[i] == '%')) i++;
                if (i < rest.Length && rest[i] == '&') { i++; continue; }
                break;
            }
            if (!EscapesValid(rest[hs..i])) return false;
            parts.Headers = new TextRange(off + hs, i - hs);
        }
        return i == rest.Length;
    }

    /// <summary>escaped = "%" HEXDIG HEXDIG (§25.1).</summary>
    private static bool EscapesValid(ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '%') continue;
            if (i + 2 >= s.Length) return false;
            if (!SipGrammar.IsHex(s[i + 1]) || !SipGrammar.IsHex(s[i + 2])) return false;
            i += 2;
        }
        return true;
    }

    /// <summary>IPv6address (§25.1): hex groups separated by ':', at most one "::", optional trailing IPv4.</summary>
    internal static bool IsIpv6(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2 || s.Length > 45) return false;
        foreach (byte b in s) if (!(SipGrammar.IsHex(b) || b == ':' || b == '.')) return false;
        Span<char> chars = stackalloc char[s.Length];
        for (int i = 0; i < s.Length; i++) chars[i] = (char)s[i];
        return System.Net.IPAddress.TryParse(chars, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    internal static bool IsIpv4(ReadOnlySpan<byte> s)
    {
        int parts = 0, i = 0;
        while (i <= s.Length)
        {
            int d = i;
            while (i < s.Length && SipGrammar.IsDigit(s[i])) i++;
            if (i == d || i - d > 3 || !SipGrammar.TryParseUInt(s[d..i], 255, out _)) return false;
            parts++;
            if (i == s.Length) break;
            if (s[i] != '.') return false;
            i++;
        }
        return parts == 4;
    }
}
