using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Headers;

/// <summary>( name-addr / addr-spec ) *( SEMI param ): From, To, Contact, Route, Record-Route (§20.10, §25.1).</summary>
public sealed class SipNameAddress
{
    public SipNameAddress(SipUri uri, string? displayName = null)
    {
        Uri = uri;
        DisplayName = displayName;
    }

    /// <summary>Display name as written (quoted-string keeps its quotes), or null.</summary>
    public string? DisplayName { get; set; }
    public SipUri Uri { get; set; }
    public SipParameters Parameters { get; } = new();

    public string? Tag
    {
        get => Parameters["tag"];
        set { if (value is null) Parameters.RemoveAll(p => p.Key.Equals("tag", StringComparison.OrdinalIgnoreCase)); else Parameters.Set("tag", value); }
    }

    /// <summary>Parses one value; false when it does not match the grammar.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out SipNameAddress value)
    {
        value = null!;
        int e = SipHeaderSyntax.ScanNameAddr(s, 0, allowAddrSpec: true, out var parts);
        if (e != s.Length) return false;
        value = FromParts(s, parts);
        return true;
    }

    public static bool TryParse(string s, out SipNameAddress value) => TryParse(Encoding.Latin1.GetBytes(s), out value);

    /// <summary>Parses a 1#( name-addr / addr-spec ) list (Contact, Route, Record-Route).</summary>
    public static bool TryParseList(ReadOnlySpan<byte> s, List<SipNameAddress> into)
    {
        int i = 0;
        while (true)
        {
            int e = SipHeaderSyntax.ScanNameAddr(s, i, allowAddrSpec: true, out var parts);
            if (e < 0) return false;
            into.Add(FromParts(s, parts));
            if (e >= s.Length) return true;
            if (s[e] != ',') return false;
            i = e + 1;
        }
    }

    internal static SipNameAddress FromParts(ReadOnlySpan<byte> s, NameAddrParts parts)
    {
        SipUri.TryParse(parts.Uri.Of(s), out var uri);
        var v = new SipNameAddress(uri, parts.DisplayName.IsEmpty ? null : Encoding.Latin1.GetString(parts.DisplayName.Of(s)));
        v.Parameters.AddRange(SipParameters.ParseGeneric(parts.Parameters.Of(s)));
        return v;
    }

    /// <summary>Always written as name-addr, so URI parameters cannot be mistaken for header parameters.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(96);
        if (!string.IsNullOrEmpty(DisplayName)) sb.Append(DisplayName).Append(' ');
        sb.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(sb);
        return sb.ToString();
    }

    public SipNameAddress Clone()
    {
        var c = new SipNameAddress(Uri.Clone(), DisplayName);
        c.Parameters.AddRange(Parameters);
        return c;
    }
}
