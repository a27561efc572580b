using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Headers;

/// <summary>An ordered parameter list (generic-param or uri-parameter, §25.1). Values keep their quotes;
/// a flag parameter has a null value.</summary>
public sealed class SipParameters : List<KeyValuePair<string, string?>>
{
    public string? this[string name]
    {
        get
        {
            foreach (var p in this) if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
            return null;
        }
    }

    public bool Has(string name)
    {
        foreach (var p in this) if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    public void Set(string name, string? value)
    {
        for (int i = 0; i < Count; i++)
            if (string.Equals(this[i].Key, name, StringComparison.OrdinalIgnoreCase)) { this[i] = new(name, value); return; }
        Add(new(name, value));
    }

    /// <summary>";name=value;flag" as written by this stack.</summary>
    public void AppendTo(StringBuilder sb)
    {
        foreach (var p in this)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null) sb.Append('=').Append(p.Value);
        }
    }

    /// <summary>Header parameters: *( SEMI generic-param ), already validated, LWS allowed around separators.</summary>
    internal static SipParameters ParseGeneric(ReadOnlySpan<byte> s)
    {
        var list = new SipParameters();
        int i = 0;
        while (true)
        {
            int j = SipGrammar.SkipLws(s, i);
            if (j >= s.Length || s[j] != ';') return list;
            j = SipGrammar.SkipLws(s, j + 1);
            int n = SipGrammar.ScanToken(s, j);
            if (n == j) return list;
            string name = Encoding.Latin1.GetString(s[j..n]);
            string? value = null;
            i = n;
            j = SipGrammar.SkipLws(s, n);
            if (j < s.Length && s[j] == '=')
            {
                j = SipGrammar.SkipLws(s, j + 1);
                int v = SipHeaderSyntax.ScanGenValue(s, j);
                if (v <= j) return list;
                value = Encoding.Latin1.GetString(s[j..v]);
                i = v;
            }
            list.Add(new(name, value));
        }
    }

    /// <summary>URI parameters: *( ";" pname [ "=" pvalue ] ), no LWS (§19.1.1).</summary>
    internal static SipParameters ParseUri(ReadOnlySpan<byte> s)
    {
        var list = new SipParameters();
        foreach (var part in Encoding.Latin1.GetString(s).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            list.Add(eq < 0 ? new(part, null) : new(part[..eq], part[(eq + 1)..]));
        }
        return list;
    }

    /// <summary>Removes surrounding quotes and quoted-pair escapes.</summary>
    public static string Unquote(string? v)
    {
        if (v is null) return string.Empty;
        if (v.Length < 2 || v[0] != '"' || v[^1] != '"') return v;
        var sb = new StringBuilder(v.Length);
        for (int i = 1; i < v.Length - 1; i++)
        {
            if (v[i] == '\\' && i + 1 < v.Length - 1) i++;
            sb.Append(v[i]);
        }
        return sb.ToString();
    }

    /// <summary>Wraps in quotes, escaping '"' and '\' as quoted-pair.</summary>
    public static string Quote(string v)
    {
        var sb = new StringBuilder(v.Length + 2).Append('"');
        foreach (char c in v)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
