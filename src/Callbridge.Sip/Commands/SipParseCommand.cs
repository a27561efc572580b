using System.Text;
using System.Text.Json;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Commands;

/// <summary>`sip parse`: reads one SIP message on stdin, prints its structure as JSON (exit 0) or why it is
/// invalid (stderr, exit 2). Bare LF line ends are widened to CRLF unless --raw is given, since pasted
/// messages usually lose their CRs; --stream frames by Content-Length as on TCP (§18.3).</summary>
public static class SipParseCommand
{
    public const int ExitOk = 0, ExitUsage = 1, ExitInvalid = 2;

    public const string Usage = "usage: sip parse [--raw] [--stream] < message\n" +
        "  --raw     keep line ends as read (default: a bare LF becomes CRLF)\n" +
        "  --stream  frame by Content-Length as over TCP (default: the input is one datagram)\n";

    public static int Run(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        bool raw = false, stream = false;
        int i = 0;
        if (i < args.Count && args[i] == "sip") i++;
        if (i < args.Count && args[i] == "parse") i++;
        for (; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--raw": raw = true; break;
                case "--stream": stream = true; break;
                case "-h" or "--help": stdout.Write(Usage); return ExitOk;
                default:
                    stderr.Write("unknown option '" + args[i] + "'\n" + Usage);
                    return ExitUsage;
            }
        }

        // Latin-1 keeps every octet of the input as one char (a TextReader has already decoded, so UTF-8
        // text is re-encoded as UTF-8 first).
        string text = stdin.ReadToEnd();
        byte[] bytes = Encoding.UTF8.GetBytes(raw ? text : WidenLineEnds(text));
        var st = SipMessage.TryParse(bytes, datagram: !stream, out var msg, out int consumed, out var err);
        if (st == SipParseStatus.NeedMoreData)
        {
            stderr.WriteLine("invalid SIP message: incomplete (the stream ends before the message does)");
            return ExitInvalid;
        }
        if (st == SipParseStatus.Invalid)
        {
            stderr.WriteLine($"invalid SIP message: {err.Reason}{(err.Header is null ? "" : " in " + err.Header)}; a UAS answers {err.StatusCode} {err.ReasonPhrase}");
            return ExitInvalid;
        }
        using (var ms = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
                Write(w, msg!, bytes.Length - consumed);
            stdout.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
        }
        return ExitOk;
    }

    private static string WidenLineEnds(string s)
    {
        var sb = new StringBuilder(s.Length + 64);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) sb.Append('\r');
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Header values are octets; shown as UTF-8 when they decode as such, else as Latin-1.</summary>
    private static string Text(string latin1)
    {
        var b = Encoding.Latin1.GetBytes(latin1);
        try { return new UTF8Encoding(false, true).GetString(b); }
        catch (DecoderFallbackException) { return latin1; }
    }

    private static void Write(Utf8JsonWriter w, SipMessage m, int trailing)
    {
        w.WriteStartObject();
        w.WriteString("kind", m.IsRequest ? "request" : "response");
        if (m.IsRequest)
        {
            w.WriteString("method", m.Method);
            w.WritePropertyName("requestUri");
            WriteUri(w, m.RequestUri);
        }
        else
        {
            w.WriteNumber("statusCode", m.StatusCode);
            w.WriteString("reasonPhrase", Text(m.ReasonPhrase));
        }
        w.WriteStartArray("headers");
        foreach (var h in m.Headers)
        {
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            if (h.Kind != SipHeaderKind.Other) w.WriteString("canonical", SipHeaderNames.CanonicalName(h.Kind));
            w.WriteString("value", Text(h.UnfoldedValue));
            w.WriteEndObject();
        }
        w.WriteEndArray();

        if (m.CallId is { } cid) w.WriteString("callId", Text(cid));
        if (m.CSeq is { } cseq)
        {
            w.WriteStartObject("cseq");
            w.WriteNumber("number", cseq.Number);
            w.WriteString("method", cseq.Method);
            w.WriteEndObject();
        }
        if (m.From is { } from) { w.WritePropertyName("from"); WriteNameAddr(w, from); }
        if (m.To is { } to) { w.WritePropertyName("to"); WriteNameAddr(w, to); }
        w.WriteStartArray("via");
        foreach (var v in m.Vias)
        {
            w.WriteStartObject();
            w.WriteString("protocol", v.ProtocolName + "/" + v.ProtocolVersion);
            w.WriteString("transport", v.Transport);
            w.WriteString("host", v.Host);
            if (v.Port is int p) w.WriteNumber("port", p);
            if (v.Branch is { } b) w.WriteString("branch", b);
            w.WriteBoolean("rfc3261Branch", v.IsRfc3261Branch);
            if (v.Received is { } r) w.WriteString("received", r);
            if (v.HasRport) { if (v.RportValue is int rp) w.WriteNumber("rport", rp); else w.WriteBoolean("rport", true); }
            if (v.Maddr is { } ma) w.WriteString("maddr", ma);
            if (v.Ttl is int ttl) w.WriteNumber("ttl", ttl);
            WriteParams(w, v.Parameters);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (m.IsContactWildcard) w.WriteString("contact", "*");
        WriteList(w, "contact", m.Contacts);
        WriteList(w, "route", m.Routes);
        WriteList(w, "recordRoute", m.RecordRoutes);
        if (m.MaxForwards is int mf) w.WriteNumber("maxForwards", mf);
        if (m.ContentType is { } ct) w.WriteString("contentType", ct);
        var reasons = m.Reasons;
        if (reasons.Count > 0)
        {
            w.WriteStartArray("reason");
            foreach (var r in reasons)
            {
                w.WriteStartObject();
                w.WriteString("protocol", r.Protocol);
                w.WriteNumber("cause", r.Cause);
                if (r.Text is not null) w.WriteString("text", Text(r.Text));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartObject("body");
        w.WriteNumber("length", m.Body.Length);
        if (!m.Body.IsEmpty) w.WriteString("text", Encoding.UTF8.GetString(m.Body.Span));
        w.WriteEndObject();
        if (trailing > 0) w.WriteNumber("ignoredTrailingOctets", trailing);
        w.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter w, string name, List<SipNameAddress> list)
    {
        if (list.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var a in list) WriteNameAddr(w, a);
        w.WriteEndArray();
    }

    private static void WriteNameAddr(Utf8JsonWriter w, SipNameAddress a)
    {
        w.WriteStartObject();
        if (a.DisplayName is { } dn) w.WriteString("displayName", Text(dn.StartsWith('"') ? SipParameters.Unquote(dn) : dn));
        w.WritePropertyName("uri");
        WriteUri(w, a.Uri.ToString());
        if (a.Tag is { } tag) w.WriteString("tag", tag);
        WriteParams(w, a.Parameters);
        w.WriteEndObject();
    }

    private static void WriteUri(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("text", Text(text));
        if (SipUri.TryParse(text, out var u))
        {
            w.WriteString("scheme", u.Scheme);
            if (u.Opaque is not null) w.WriteString("opaque", Text(u.Opaque));
            else
            {
                if (u.User is not null) w.WriteString("user", Text(u.User));
                if (u.Password is not null) w.WriteString("password", Text(u.Password));
                w.WriteString("host", u.Host);
                if (u.Port is int p) w.WriteNumber("port", p);
                WriteParams(w, u.Parameters);
                if (u.Headers is not null) w.WriteString("headers", Text(u.Headers));
            }
        }
        w.WriteEndObject();
    }

    private static void WriteParams(Utf8JsonWriter w, SipParameters p)
    {
        if (p.Count == 0) return;
        w.WriteStartObject("params");
        foreach (var kv in p)
        {
            if (kv.Value is null) w.WriteNull(kv.Key);
            else w.WriteString(kv.Key, Text(kv.Value));
        }
        w.WriteEndObject();
    }
}
