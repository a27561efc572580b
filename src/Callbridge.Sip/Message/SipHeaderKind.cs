namespace Callbridge.Sip.Message;

/// <summary>Headers the stack reads or validates; everything else is <see cref="Other"/> and kept verbatim.</summary>
public enum SipHeaderKind : byte
{
    Other = 0,
    Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Route, RecordRoute,
    Authorization, WwwAuthenticate, ProxyAuthenticate, ProxyAuthorization, Reason, Allow, Supported, Require,
    ProxyRequire, Unsupported, Expires, Subject, ContentEncoding, Event, ReferTo, AllowEvents, SessionExpires,
    Identity, Accept, UserAgent, Server, Date, RetryAfter, Warning, MinExpires,
}

/// <summary>Canonical names and compact forms (RFC 3261 §7.3.3, §20; RFC 3265, 3515, 4028, 8224).</summary>
public static class SipHeaderNames
{
    public const string Via = "Via", From = "From", To = "To", CallId = "Call-ID", CSeq = "CSeq", Contact = "Contact",
        MaxForwards = "Max-Forwards", ContentLength = "Content-Length", ContentType = "Content-Type", Route = "Route",
        RecordRoute = "Record-Route", Authorization = "Authorization", WwwAuthenticate = "WWW-Authenticate",
        ProxyAuthenticate = "Proxy-Authenticate", ProxyAuthorization = "Proxy-Authorization", Reason = "Reason",
        Allow = "Allow", Supported = "Supported", Require = "Require", ProxyRequire = "Proxy-Require",
        Unsupported = "Unsupported", Expires = "Expires", Subject = "Subject", ContentEncoding = "Content-Encoding",
        Event = "Event", ReferTo = "Refer-To", AllowEvents = "Allow-Events", SessionExpires = "Session-Expires",
        Identity = "Identity", Accept = "Accept", UserAgent = "User-Agent", Server = "Server", Date = "Date",
        RetryAfter = "Retry-After", Warning = "Warning", MinExpires = "Min-Expires";

    private static readonly (string Name, SipHeaderKind Kind, char Compact)[] Table =
    [
        (Via, SipHeaderKind.Via, 'v'), (From, SipHeaderKind.From, 'f'), (To, SipHeaderKind.To, 't'),
        (CallId, SipHeaderKind.CallId, 'i'), (CSeq, SipHeaderKind.CSeq, '\0'), (Contact, SipHeaderKind.Contact, 'm'),
        (MaxForwards, SipHeaderKind.MaxForwards, '\0'), (ContentLength, SipHeaderKind.ContentLength, 'l'),
        (ContentType, SipHeaderKind.ContentType, 'c'), (Route, SipHeaderKind.Route, '\0'),
        (RecordRoute, SipHeaderKind.RecordRoute, '\0'), (Authorization, SipHeaderKind.Authorization, '\0'),
        (WwwAuthenticate, SipHeaderKind.WwwAuthenticate, '\0'), (ProxyAuthenticate, SipHeaderKind.ProxyAuthenticate, '\0'),
        (ProxyAuthorization, SipHeaderKind.ProxyAuthorization, '\0'), (Reason, SipHeaderKind.Reason, '\0'),
        (Allow, SipHeaderKind.Allow, '\0'), (Supported, SipHeaderKind.Supported, 'k'), (Require, SipHeaderKind.Require, '\0'),
        (ProxyRequire, SipHeaderKind.ProxyRequire, '\0'), (Unsupported, SipHeaderKind.Unsupported, '\0'),
        (Expires, SipHeaderKind.Expires, '\0'), (Subject, SipHeaderKind.Subject, 's'),
        (ContentEncoding, SipHeaderKind.ContentEncoding, 'e'), (Event, SipHeaderKind.Event, 'o'),
        (ReferTo, SipHeaderKind.ReferTo, 'r'), (AllowEvents, SipHeaderKind.AllowEvents, 'u'),
        (SessionExpires, SipHeaderKind.SessionExpires, 'x'), (Identity, SipHeaderKind.Identity, 'y'),
        (Accept, SipHeaderKind.Accept, '\0'), (UserAgent, SipHeaderKind.UserAgent, '\0'), (Server, SipHeaderKind.Server, '\0'),
        (Date, SipHeaderKind.Date, '\0'), (RetryAfter, SipHeaderKind.RetryAfter, '\0'), (Warning, SipHeaderKind.Warning, '\0'),
        (MinExpires, SipHeaderKind.MinExpires, '\0'),
    ];

    private static readonly byte[][] NameBytes = Array.ConvertAll(Table, t => System.Text.Encoding.ASCII.GetBytes(t.Name));

    /// <summary>Header names are case-insensitive (§7.3.1); a one-letter name is the compact form (§7.3.3).</summary>
    public static SipHeaderKind Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            char c = (char)(name[0] | 0x20);
            foreach (var t in Table) if (t.Compact == c) return t.Kind;
            return SipHeaderKind.Other;
        }
        for (int i = 0; i < NameBytes.Length; i++)
            if (NameBytes[i].Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(NameBytes[i], name)) return Table[i].Kind;
        return SipHeaderKind.Other;
    }

    public static SipHeaderKind Classify(string name)
    {
        Span<byte> b = stackalloc byte[Math.Min(name.Length, 64)];
        if (name.Length > 64) return SipHeaderKind.Other;
        for (int i = 0; i < name.Length; i++) b[i] = name[i] < 128 ? (byte)name[i] : (byte)0;
        return Classify(b);
    }

    /// <summary>The canonical long name of a kind (Other has none).</summary>
    public static string? CanonicalName(SipHeaderKind kind)
    {
        foreach (var t in Table) if (t.Kind == kind) return t.Name;
        return null;
    }

    /// <summary>Returns the canonical string when the written name matches it exactly, so parsing does not
    /// allocate a name string for headers written the usual way.</summary>
    internal static string? CanonicalIfExact(SipHeaderKind kind, ReadOnlySpan<byte> written)
    {
        if (kind == SipHeaderKind.Other) return null;
        for (int i = 0; i < Table.Length; i++)
            if (Table[i].Kind == kind)
                return written.SequenceEqual(NameBytes[i]) ? Table[i].Name : null;
        return null;
    }
}
