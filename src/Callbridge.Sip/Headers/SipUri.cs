using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Headers;

/// <summary>A SIP, SIPS, tel or other absolute URI (RFC 3261 §19.1, RFC 3966). For tel and other schemes
/// only <see cref="Opaque"/> is set.</summary>
public sealed class SipUri
{
    public string Scheme { get; set; } = "sip";
    public string? User { get; set; }
    public string? Password { get; set; }
    public string Host { get; set; } = string.Empty;
    public int? Port { get; set; }
    public SipParameters Parameters { get; } = new();
    /// <summary>The "?hname=hvalue&amp;..." part without the '?'.</summary>
    public string? Headers { get; set; }
    /// <summary>Everything after "scheme:" for non-SIP schemes.</summary>
    public string? Opaque { get; set; }

    public bool IsSip => Scheme is "sip" or "sips";

    public static SipUri Sip(string? user, string host, int? port = null) => new() { User = user, Host = host, Port = port };

    public static bool TryParse(string text, out SipUri uri) => TryParse(Encoding.Latin1.GetBytes(text), out uri);

    public static bool TryParse(ReadOnlySpan<byte> s, out SipUri uri)
    {
        uri = null!;
        if (!SipUriSyntax.TryParse(s, out var p)) return false;
        var u = new SipUri { Scheme = Encoding.Latin1.GetString(p.SchemeText.Of(s)).ToLowerInvariant() };
        if (p.Scheme is SipUriScheme.Tel or SipUriScheme.Other)
        {
            u.Opaque = Encoding.Latin1.GetString(p.Opaque.Of(s));
        }
        else
        {
            if (p.HasUserInfo) u.User = Encoding.Latin1.GetString(p.User.Of(s));
            if (p.HasPassword) u.Password = Encoding.Latin1.GetString(p.Password.Of(s));
            u.Host = Encoding.Latin1.GetString(p.Host.Of(s));
            if (p.Port >= 0) u.Port = p.Port;
            u.Parameters.AddRange(SipParameters.ParseUri(p.Parameters.Of(s)));
            if (!p.Headers.IsEmpty) u.Headers = Encoding.Latin1.GetString(p.Headers.Of(s));
        }
        uri = u;
        return true;
    }

    public static SipUri Parse(string text) =>
        TryParse(text, out var u) ? u : throw new FormatException("Not a SIP URI: " + text);

    public override string ToString()
    {
        var sb = new StringBuilder(64).Append(Scheme).Append(':');
        if (Opaque is not null) return sb.Append(Opaque).ToString();
        if (User is not null)
        {
            sb.Append(User);
            if (Password is not null) sb.Append(':').Append(Password);
            sb.Append('@');
        }
        sb.Append(Host);
        if (Port is int port) sb.Append(':').Append(port);
        foreach (var kv in Parameters)
        {
            sb.Append(';').Append(kv.Key);
            if (kv.Value is not null) sb.Append('=').Append(kv.Value);
        }
        if (Headers is not null) sb.Append('?').Append(Headers);
        return sb.ToString();
    }

    public SipUri Clone()
    {
        var c = new SipUri { Scheme = Scheme, User = User, Password = Password, Host = Host, Port = Port, Headers = Headers, Opaque = Opaque };
        c.Parameters.AddRange(Parameters);
        return c;
    }
}
