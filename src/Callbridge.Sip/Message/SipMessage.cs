using System.Globalization;
using System.Text;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Message;

/// <summary>A SIP request or response (RFC 3261 §7). Headers keep their order, names and values as
/// received, so a message re-serializes faithfully; typed accessors read the headers the UA needs.</summary>
public sealed class SipMessage
{
    private SipMessage() { }

    public bool IsRequest { get; private init; }
    public string Method { get; private init; } = string.Empty;
    /// <summary>Request-URI text as received (request only).</summary>
    public string RequestUri { get; set; } = string.Empty;
    public int StatusCode { get; private init; }
    public string ReasonPhrase { get; set; } = string.Empty;
    public List<SipHeader> Headers { get; } = [];
    public ReadOnlyMemory<byte> Body { get; private set; }

    public static SipMessage CreateRequest(string method, string requestUri) =>
        new() { IsRequest = true, Method = method, RequestUri = requestUri };

    public static SipMessage CreateResponse(int statusCode, string reasonPhrase) =>
        new() { IsRequest = false, StatusCode = statusCode, ReasonPhrase = reasonPhrase };

    internal static SipMessage FromParsedRequest(string method, string uri) => CreateRequest(method, uri);
    internal static SipMessage FromParsedResponse(int status, string reason) => CreateResponse(status, reason);

    /// <summary>Parses one message. Datagram framing takes the body from Content-Length or the datagram end
    /// (§18.3); stream framing needs Content-Length and reports NeedMoreData for a valid prefix.</summary>
    public static SipParseStatus TryParse(ReadOnlySpan<byte> input, bool datagram, out SipMessage? message, out int consumed,
        out SipParseError error, SipParseLimits? limits = null) =>
        SipMessageParser.TryParse(input, datagram, limits ?? SipParseLimits.Default, out message, out consumed, out error);

    // ---- header access -------------------------------------------------------------------------------

    public SipHeader? Find(SipHeaderKind kind)
    {
        foreach (var h in Headers) if (h.Kind == kind) return h;
        return null;
    }

    public SipHeader? Find(string name)
    {
        var kind = SipHeaderNames.Classify(name);
        foreach (var h in Headers)
            if (kind != SipHeaderKind.Other ? h.Kind == kind : string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) return h;
        return null;
    }

    public IEnumerable<SipHeader> FindAll(SipHeaderKind kind) => Headers.Where(h => h.Kind == kind);

    public SipMessage Add(string name, string value)
    {
        Headers.Add(new SipHeader(name, value));
        return this;
    }

    /// <summary>Replaces every header of that kind with one value (or removes them when value is null).</summary>
    public SipMessage Set(SipHeaderKind kind, string? value)
    {
        int at = Headers.FindIndex(h => h.Kind == kind);
        Headers.RemoveAll(h => h.Kind == kind);
        if (value is null) return this;
        var header = new SipHeader(SipHeaderNames.CanonicalName(kind)!, value);
        if (at < 0) Headers.Add(header); else Headers.Insert(at, header);
        return this;
    }

    public SipMessage InsertFirst(string name, string value)
    {
        var h = new SipHeader(name, value);
        int at = Headers.FindIndex(x => x.Kind == h.Kind);
        Headers.Insert(at < 0 ? 0 : at, h);
        return this;
    }

    /// <summary>Sets the body and its Content-Type / Content-Length (§20.14, §20.15).</summary>
    public SipMessage SetBody(ReadOnlyMemory<byte> body, string? contentType)
    {
        Body = body;
        if (contentType is not null) Set(SipHeaderKind.ContentType, contentType);
        else if (body.IsEmpty) Set(SipHeaderKind.ContentType, null);
        Set(SipHeaderKind.ContentLength, body.Length.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    internal void SetParsedBody(ReadOnlyMemory<byte> body) => Body = body;

    // ---- typed accessors (valid by construction for parsed messages) ----------------------------------

    public string? CallId => Find(SipHeaderKind.CallId)?.UnfoldedValue.Trim();

    public SipCSeq? CSeq
    {
        get
        {
            var h = Find(SipHeaderKind.CSeq);
            if (h is null) return null;
            var parts = h.UnfoldedValue.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint n)) return null;
            return new SipCSeq(n, parts[1]);
        }
    }

    public int? MaxForwards =>
        int.TryParse(Find(SipHeaderKind.MaxForwards)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;

    public int? ContentLength =>
        int.TryParse(Find(SipHeaderKind.ContentLength)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;

    public string? ContentType => Find(SipHeaderKind.ContentType)?.UnfoldedValue;

    public SipNameAddress? From => NameAddr(SipHeaderKind.From);
    public SipNameAddress? To => NameAddr(SipHeaderKind.To);

    /// <summary>All Via values, topmost first, across repeated headers and comma lists (§7.3.1).</summary>
    public List<SipVia> Vias
    {
        get
        {
            var list = new List<SipVia>();
            foreach (var h in Headers) if (h.Kind == SipHeaderKind.Via) SipVia.TryParseList(h.RawValue.Span, list);
            return list;
        }
    }

    public SipVia? TopVia
    {
        get
        {
            var h = Find(SipHeaderKind.Via);
            if (h is null) return null;
            var list = new List<SipVia>(1);
            return SipVia.TryParseList(h.RawValue.Span, list) ? list[0] : null;
        }
    }

    /// <summary>True when a Contact header is "*" (§10.2.2).</summary>
    public bool IsContactWildcard => Find(SipHeaderKind.Contact)?.Value.Trim() == "*";

    public List<SipNameAddress> Contacts => NameAddrList(SipHeaderKind.Contact);
    public List<SipNameAddress> Routes => NameAddrList(SipHeaderKind.Route);
    public List<SipNameAddress> RecordRoutes => NameAddrList(SipHeaderKind.RecordRoute);

    public List<SipReason> Reasons
    {
        get
        {
            var list = new List<SipReason>();
            foreach (var h in FindAll(SipHeaderKind.Reason)) SipReason.TryParseList(h.RawValue.Span, list);
            return list;
        }
    }

    /// <summary>Comma-separated token lists: Allow, Supported, Require, Proxy-Require, Unsupported (§20).</summary>
    public List<string> Tokens(SipHeaderKind kind)
    {
        var list = new List<string>();
        foreach (var h in FindAll(kind))
            foreach (var t in h.UnfoldedValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                list.Add(t);
        return list;
    }

    private SipNameAddress? NameAddr(SipHeaderKind kind)
    {
        var h = Find(kind);
        return h is not null && SipNameAddress.TryParse(h.RawValue.Span, out var v) ? v : null;
    }

    private List<SipNameAddress> NameAddrList(SipHeaderKind kind)
    {
        var list = new List<SipNameAddress>();
        foreach (var h in Headers)
            if (h.Kind == kind && h.Value.Trim() != "*") SipNameAddress.TryParseList(h.RawValue.Span, list);
        return list;
    }

    // ---- serialization ----------------------------------------------------------------------------------

    private string StartLine => IsRequest
        ? Method + " " + RequestUri + " SIP/2.0"
        : "SIP/2.0 " + StatusCode.ToString("D3", CultureInfo.InvariantCulture) + " " + ReasonPhrase;

    public int GetSerializedLength()
    {
        int n = StartLine.Length + 2;
        foreach (var h in Headers) n += h.SerializedLength;
        return n + 2 + Body.Length;
    }

    /// <summary>Writes the message; returns the bytes written. dest must hold GetSerializedLength() bytes.</summary>
    public int WriteTo(Span<byte> dest)
    {
        int n = Encoding.Latin1.GetBytes(StartLine, dest);
        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        foreach (var h in Headers) n += h.WriteTo(dest[n..]);
        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        Body.Span.CopyTo(dest[n..]);
        return n + Body.Length;
    }

    public byte[] ToArray()
    {
        var b = new byte[GetSerializedLength()];
        WriteTo(b);
        return b;
    }

    public override string ToString() => Encoding.Latin1.GetString(ToArray());
}
