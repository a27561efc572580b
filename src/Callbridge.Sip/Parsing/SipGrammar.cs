namespace Callbridge.Sip.Parsing;

/// <summary>Character classes and whitespace rules of the RFC 3261 §25.1 ABNF, over bytes.</summary>
internal static class SipGrammar
{
    private const byte Token = 1, Word = 2, Unreserved = 4, UserUnreserved = 8, ParamUnreserved = 16,
        HnvUnreserved = 32, PasswordExtra = 64, Hostname = 128;

    private static readonly byte[] Classes = BuildClasses();

    private static byte[] BuildClasses()
    {
        var t = new byte[256];
        for (int c = 'a'; c <= 'z'; c++) t[c] = Token | Word | Unreserved | Hostname;
        for (int c = 'A'; c <= 'Z'; c++) t[c] = Token | Word | Unreserved | Hostname;
        for (int c = '0'; c <= '9'; c++) t[c] = Token | Word | Unreserved | Hostname;
        // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
        foreach (char c in "-.!%*_+`'~") t[c] |= Token | Word;
        // word adds "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"
        foreach (char c in "()<>:\\\"/[]?{}") t[c] |= Word;
        // unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
        foreach (char c in "-_.!~*'()") t[c] |= Unreserved;
        // user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
        foreach (char c in "&=+$,;?/") t[c] |= UserUnreserved;
        // param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
        foreach (char c in "[]/:&+$") t[c] |= ParamUnreserved;
        // hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
        foreach (char c in "[]/?:+$") t[c] |= HnvUnreserved;
        // password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
        foreach (char c in "&=+$,") t[c] |= PasswordExtra;
        t['-'] |= Hostname;
        t['.'] |= Hostname;
        return t;
    }

    public static bool IsToken(byte b) => (Classes[b] & Token) != 0;
    public static bool IsWord(byte b) => (Classes[b] & Word) != 0;
    public static bool IsUnreserved(byte b) => (Classes[b] & Unreserved) != 0;
    public static bool IsUserChar(byte b) => (Classes[b] & (Unreserved | UserUnreserved)) != 0;
    public static bool IsPasswordChar(byte b) => (Classes[b] & (Unreserved | PasswordExtra)) != 0;
    public static bool IsParamChar(byte b) => (Classes[b] & (Unreserved | ParamUnreserved)) != 0;
    public static bool IsHeaderChar(byte b) => (Classes[b] & (Unreserved | HnvUnreserved)) != 0;
    public static bool IsHostnameChar(byte b) => (Classes[b] & Hostname) != 0;
    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
    public static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
    public static bool IsHex(byte b) => IsDigit(b) || (uint)((b | 0x20) - 'a') <= 5;
    public static bool IsWsp(byte b) => b == ' ' || b == '\t';

    public static bool IsAllToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (byte b in s) if (!IsToken(b)) return false;
        return true;
    }

    public static bool IsAllWord(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (byte b in s) if (!IsWord(b)) return false;
        return true;
    }

    /// <summary>LWS = [*WSP CRLF] 1*WSP (§25.1): skips spaces, tabs and folded line ends.</summary>
    public static int SkipLws(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length)
        {
            byte b = s[i];
            if (b == ' ' || b == '\t') { i++; continue; }
            if (b == '\r' && i + 2 < s.Length && s[i + 1] == '\n' && IsWsp(s[i + 2])) { i += 3; continue; }
            break;
        }
        return i;
    }

    /// <summary>Trailing LWS removed.</summary>
    public static ReadOnlySpan<byte> TrimEndLws(ReadOnlySpan<byte> s)
    {
        int e = s.Length;
        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) e--;
        return s[..e];
    }

    public static ReadOnlySpan<byte> TrimLws(ReadOnlySpan<byte> s)
    {
        int i = SkipLws(s, 0);
        return TrimEndLws(s[i..]);
    }

    /// <summary>Index after a token starting at i, or i when there is none.</summary>
    public static int ScanToken(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsToken(s[i])) i++;
        return i;
    }

    /// <summary>quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE (§25.1). i points at the DQUOTE;
    /// returns the index after the closing quote, or -1. quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F).</summary>
    public static int ScanQuotedString(ReadOnlySpan<byte> s, int i)
    {
        if (i >= s.Length || s[i] != '"') return -1;
        i++;
        while (i < s.Length)
        {
            byte b = s[i];
            if (b == '"') return i + 1;
            if (b == '\\')
            {
                if (i + 1 >= s.Length) return -1;
                byte q = s[i + 1];
                if (q == '\n' || q == '\r' || q > 0x7F) return -1;
                i += 2;
                continue;
            }
            if (b == '\r')
            {
                // Folding inside a quoted string is LWS.
                if (i + 2 < s.Length && s[i + 1] == '\n' && IsWsp(s[i + 2])) { i += 3; continue; }
                return -1;
            }
            if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7F) return -1;
            i++;
        }
        return -1;
    }

    /// <summary>Parses an unsigned decimal; false when empty, non-digit, or above max.</summary>
    public static bool TryParseUInt(ReadOnlySpan<byte> s, ulong max, out ulong value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        foreach (byte b in s)
        {
            if (!IsDigit(b)) return false;
            value = value * 10 + (ulong)(b - '0');
            if (value > max) return false;
        }
        return true;
    }

    public static bool AllDigits(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (byte b in s) if (!IsDigit(b)) return false;
        return true;
    }
}
