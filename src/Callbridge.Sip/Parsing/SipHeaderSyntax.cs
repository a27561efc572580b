namespace Callbridge.Sip.Parsing;

/// <summary>Where the parts of one name-addr / addr-spec value lie (RFC 3261 §20.10, §25.1).</summary>
internal struct NameAddrParts
{
    public TextRange DisplayName, Uri, Parameters;
    public bool Bracketed;
}

/// <summary>Where the parts of one via-parm lie (§20.42).</summary>
internal struct ViaParts
{
    public TextRange ProtocolName, ProtocolVersion, Transport, Host, Parameters;
    public int Port;
}

/// <summary>Validating scanners for the header grammars of RFC 3261 §25.1. Every method takes the raw
/// value (folding still in place) and an index, and returns the index after what it read or -1.</summary>
internal static class SipHeaderSyntax
{
    /// <summary>generic-param list: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
    /// gen-value = token / host / quoted-string. Stops before a top-level "," or the end.</summary>
    public static int ScanParameters(ReadOnlySpan<byte> s, int i)
    {
        while (true)
        {
            int j = SipGrammar.SkipLws(s, i);
            if (j >= s.Length || s[j] != ';') return i;
            j = SipGrammar.SkipLws(s, j + 1);
            int n = SipGrammar.ScanToken(s, j);
            if (n == j) return -1;
            i = n;
            j = SipGrammar.SkipLws(s, n);
            if (j < s.Length && s[j] == '=')
            {
                j = SipGrammar.SkipLws(s, j + 1);
                int v = ScanGenValue(s, j);
                if (v <= j) return -1;
                i = v;
            }
        }
    }

    /// <summary>gen-value = token / host / quoted-string; host may be an IPv6reference or bare IPv6 (received).</summary>
    public static int ScanGenValue(ReadOnlySpan<byte> s, int i)
    {
        if (i >= s.Length) return -1;
        if (s[i] == '"') return SipGrammar.ScanQuotedString(s, i);
        if (s[i] == '[')
        {
            int close = s[i..].IndexOf((byte)']');
            if (close < 0 || !SipUriSyntax.IsIpv6(s.Slice(i + 1, close - 1))) return -1;
            return i + close + 1;
        }
        int e = i;
        while (e < s.Length && (SipGrammar.IsToken(s[e]) || s[e] == ':')) e++;
        return e;
    }

    /// <summary>Reads parameter <paramref name="name"/> from a validated parameter list. Value is empty for a
    /// flag parameter; quotes are kept.</summary>
    public static bool TryGetParameter(ReadOnlySpan<byte> s, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        int i = 0;
        while (true)
        {
            int j = SipGrammar.SkipLws(s, i);
            if (j >= s.Length || s[j] != ';') return false;
            j = SipGrammar.SkipLws(s, j + 1);
            int n = SipGrammar.ScanToken(s, j);
            if (n == j) return false;
            var pname = s[j..n];
            i = n;
            ReadOnlySpan<byte> pvalue = default;
            j = SipGrammar.SkipLws(s, n);
            if (j < s.Length && s[j] == '=')
            {
                j = SipGrammar.SkipLws(s, j + 1);
                int v = ScanGenValue(s, j);
                if (v <= j) return false;
                pvalue = s[j..v];
                i = v;
            }
            if (System.Text.Ascii.EqualsIgnoreCase(pname, name)) { value = pvalue; return true; }
        }
    }

    /// <summary>( name-addr / addr-spec ) *( SEMI param ) from i. name-addr = [ display-name ] LAQUOT addr-spec
    /// RAQUOT, display-name = *(token LWS) / quoted-string (§25.1). addr-spec without brackets must not carry
    /// ';', ',' or '?' in the URI (§20.10), so it ends there.</summary>
    public static int ScanNameAddr(ReadOnlySpan<byte> s, int i, bool allowAddrSpec, out NameAddrParts parts)
    {
        parts = default;
        i = SipGrammar.SkipLws(s, i);
        if (i >= s.Length) return -1;
        int start = i;
        int lt = -1;
        if (s[i] == '"')
        {
            int q = SipGrammar.ScanQuotedString(s, i);
            if (q < 0) return -1;
            parts.DisplayName = new TextRange(i, q - i);
            i = SipGrammar.SkipLws(s, q);
            if (i >= s.Length || s[i] != '<') return -1;
            lt = i;
        }
        else if (s[i] == '<')
        {
            lt = i;
        }
        else
        {
            int j = i, lastTokenEnd = -1;
            while (true)
            {
                int t = SipGrammar.ScanToken(s, j);
                if (t == j) break;
                lastTokenEnd = t;
                j = SipGrammar.SkipLws(s, t);
            }
            if (lastTokenEnd > 0 && j < s.Length && s[j] == '<')
            {
                parts.DisplayName = new TextRange(start, lastTokenEnd - start);
                lt = j;
            }
        }
        if (lt >= 0)
        {
            int gt = s[(lt + 1)..].IndexOf((byte)'>');
            if (gt < 0) return -1;
            var uri = s.Slice(lt + 1, gt);
            if (!SipUriSyntax.TryParse(uri, out _)) return -1;
            parts.Uri = new TextRange(lt + 1, gt);
            parts.Bracketed = true;
            i = lt + 1 + gt + 1;
        }
        else
        {
            if (!allowAddrSpec) return -1;
            int e = start;
            while (e < s.Length && s[e] != ';' && s[e] != ',' && s[e] != ' ' && s[e] != '\t' && s[e] != '\r') e++;
            var uri = s[start..e];
            if (uri.IndexOf((byte)'?') >= 0 || !SipUriSyntax.TryParse(uri, out _)) return -1;
            parts.Uri = new TextRange(start, e - start);
            i = e;
        }
        int p = ScanParameters(s, i);
        if (p < 0) return -1;
        parts.Parameters = new TextRange(i, p - i);
        return SipGrammar.SkipLws(s, p);
    }

    /// <summary>via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (§20.42, §25.1).</summary>
    public static int ScanVia(ReadOnlySpan<byte> s, int i, out ViaParts parts)
    {
        parts = default;
        parts.Port = -1;
        i = SipGrammar.SkipLws(s, i);
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH = SWS "/" SWS
        int a = SipGrammar.ScanToken(s, i);
        if (a == i) return -1;
        parts.ProtocolName = new TextRange(i, a - i);
        i = SipGrammar.SkipLws(s, a);
        if (i >= s.Length || s[i] != '/') return -1;
        i = SipGrammar.SkipLws(s, i + 1);
        a = SipGrammar.ScanToken(s, i);
        if (a == i) return -1;
        parts.ProtocolVersion = new TextRange(i, a - i);
        i = SipGrammar.SkipLws(s, a);
        if (i >= s.Length || s[i] != '/') return -1;
        i = SipGrammar.SkipLws(s, i + 1);
        a = SipGrammar.ScanToken(s, i);
        if (a == i) return -1;
        parts.Transport = new TextRange(i, a - i);
        int lws = SipGrammar.SkipLws(s, a);
        if (lws == a) return -1;
        i = lws;
        // sent-by = host [ COLON port ]
        int h = i;
        if (i < s.Length && s[i] == '[')
        {
            int close = s[i..].IndexOf((byte)']');
            if (close < 0 || !SipUriSyntax.IsIpv6(s.Slice(i + 1, close - 1))) return -1;
            i += close + 1;
        }
        else
        {
            while (i < s.Length && SipGrammar.IsHostnameChar(s[i])) i++;
            if (i == h) return -1;
        }
        parts.Host = new TextRange(h, i - h);
        int c = SipGrammar.SkipLws(s, i);
        if (c < s.Length && s[c] == ':')
        {
            int p = SipGrammar.SkipLws(s, c + 1);
            int pe = p;
            while (pe < s.Length && SipGrammar.IsDigit(s[pe])) pe++;
            if (!SipGrammar.TryParseUInt(s[p..pe], 65535, out ulong port)) return -1;
            parts.Port = (int)port;
            i = pe;
        }
        int end = ScanParameters(s, i);
        if (end < 0) return -1;
        var prm = s[i..end];
        parts.Parameters = new TextRange(i, end - i);
        // via-ttl = "ttl" EQUAL ttl (1*3DIGIT, 0-255); via-received = IPv4address / IPv6address; branch = token
        if (TryGetParameter(prm, "ttl"u8, out var ttl) && !SipGrammar.TryParseUInt(ttl, 255, out _)) return -1;
        if (TryGetParameter(prm, "received"u8, out var rcv) && !(SipUriSyntax.IsIpv4(rcv) || SipUriSyntax.IsIpv6(rcv)))
            return -1;
        if (TryGetParameter(prm, "branch"u8, out var br) && !SipGrammar.IsAllToken(br)) return -1;
        if (TryGetParameter(prm, "rport"u8, out var rp) && !rp.IsEmpty && !SipGrammar.TryParseUInt(rp, 65535, out _)) return -1;
        return SipGrammar.SkipLws(s, end);
    }

    /// <summary>Runs <paramref name="scan"/> over a 1#element list: elements separated by COMMA (§7.3.1).</summary>
    public static bool IsList(ReadOnlySpan<byte> s, ScanElement scan)
    {
        int i = 0;
        while (true)
        {
            int e = scan(s, i);
            if (e < 0) return false;
            e = SipGrammar.SkipLws(s, e);
            if (e >= s.Length) return true;
            if (s[e] != ',') return false;
            i = e + 1;
        }
    }

    public delegate int ScanElement(ReadOnlySpan<byte> s, int i);
}
