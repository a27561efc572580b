using System.Text;
using Callbridge.Sip.Message;

namespace Callbridge.Sip.Parsing;

/// <summary>RFC 3261 §7 message parser: start line, header fields (§7.3), body framing (§7.4, §18.3).
/// Malformed input yields a <see cref="SipParseError"/>; nothing here throws on input.</summary>
internal static class SipMessageParser
{
    private static readonly string[] KnownMethods =
        ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "PRACK", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE"];
    private static readonly byte[][] KnownMethodBytes = Array.ConvertAll(KnownMethods, Encoding.ASCII.GetBytes);

    public static SipParseStatus TryParse(ReadOnlySpan<byte> input, bool datagram, SipParseLimits limits,
        out SipMessage? message, out int consumed, out SipParseError error)
    {
        message = null;
        consumed = 0;
        error = default;

        // §7.5: CRLFs before the start line are ignored (also the RFC 5626 keepalive on streams).
        int start = 0;
        while (start + 1 < input.Length && input[start] == '\r' && input[start + 1] == '\n') start += 2;
        if (!datagram && (start == input.Length || (start + 1 == input.Length && input[start] == '\r')))
            return SipParseStatus.NeedMoreData;

        var rest = input[start..];
        int searchLen = Math.Min(rest.Length, limits.MaxMessageSize);
        int headEnd = rest[..searchLen].IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            if (rest.Length >= limits.MaxMessageSize) return Fail(SipParseErrorReason.MessageTooLarge, out error);
            if (!datagram)
            {
                // A stream prefix is still worth waiting for only while the bytes so far are plausible.
                return ScanPrefix(rest, limits, out error);
            }
            return Fail(rest.IsEmpty ? SipParseErrorReason.Truncated : FirstProblem(rest, limits), out error);
        }

        // Header section = start line CRLF *(message-header CRLF); headEnd points at its last CRLF.
        var head = rest[..(headEnd + 2)];
        int lineEnd = head.IndexOf("\r\n"u8);
        var startLine = head[..lineEnd];
        if (startLine.Length > limits.MaxLineLength) return Fail(SipParseErrorReason.MessageTooLarge, out error);
        if (startLine.IndexOfAny((byte)'\r', (byte)'\n') >= 0) return Fail(SipParseErrorReason.BadLineEnding, out error);

        bool isRequest;
        string method = string.Empty, uri = string.Empty, reason = string.Empty;
        int status = 0;
        var sr = ParseStartLine(startLine, out isRequest, out method, out uri, out status, out reason);
        if (sr != SipParseErrorReason.None) return Fail(sr, out error);

        // Copy once: header values and the body are slices of this buffer.
        var msg = isRequest ? SipMessage.FromParsedRequest(method, uri) : SipMessage.FromParsedResponse(status, reason);

        int pos = lineEnd + 2;
        long contentLength = -1;
        int headerCount = 0;
        // Header positions are gathered in a pooled array and turned into SipHeader objects only once the whole
        // message is known to be valid.
        var headerRanges = System.Buffers.ArrayPool<HeaderRange>.Shared.Rent(limits.MaxHeaderCount);
        try
        {
        while (pos < head.Length)
        {
            // A header line continues while the next physical line starts with SP or HT (§7.3.1).
            if (SipGrammar.IsWsp(head[pos])) return Fail(SipParseErrorReason.BadHeaderLine, out error);
            int end = pos;
            while (true)
            {
                int crlf = head[end..].IndexOf("\r\n"u8);
                end += crlf;
                if (end + 2 < head.Length && SipGrammar.IsWsp(head[end + 2])) { end += 3; continue; }
                break;
            }
            var line = head[pos..end];
            if (line.Length > limits.MaxLineLength) return Fail(SipParseErrorReason.MessageTooLarge, out error);
            if (++headerCount > limits.MaxHeaderCount) return Fail(SipParseErrorReason.MessageTooLarge, out error);
            if (!LineEndingsValid(line)) return Fail(SipParseErrorReason.BadLineEnding, out error);

            // message-header = field-name *(SP / HTAB) ":" SWS field-value (§7.3.1, HCOLON in §25.1)
            int n = SipGrammar.ScanToken(line, 0);
            if (n == 0) return Fail(SipParseErrorReason.BadHeaderLine, out error);
            int c = n;
            while (c < line.Length && SipGrammar.IsWsp(line[c])) c++;
            if (c >= line.Length || line[c] != ':') return Fail(SipParseErrorReason.BadHeaderLine, out error);
            var value = SipGrammar.TrimLws(line[(c + 1)..]);
            int valueStart = value.IsEmpty ? line.Length : SipGrammar.SkipLws(line, c + 1);
            var kind = SipHeaderNames.Classify(line[..n]);

            var vr = ValidateValue(kind, value, isRequest, method, limits, ref contentLength, out string? hname);
            if (vr != SipParseErrorReason.None) return Fail(vr, out error, hname);
            headerRanges[headerCount - 1] = new HeaderRange(kind, pos, n, pos + valueStart, value.Length);
            pos = end + 2;
        }

        // Body (§7.4, §18.3): Content-Length bounds it; on a datagram without one it runs to the end.
        int bodyStart = headEnd + 4;
        int available = rest.Length - bodyStart;
        int bodyLen;
        if (contentLength < 0) bodyLen = datagram ? available : 0;
        else if (contentLength > available)
        {
            if (datagram) return Fail(SipParseErrorReason.ContentLengthMismatch, out error);
            if (bodyStart + contentLength > limits.MaxMessageSize) return Fail(SipParseErrorReason.MessageTooLarge, out error);
            return SipParseStatus.NeedMoreData;
        }
        else bodyLen = (int)contentLength;
        if (bodyStart + bodyLen > limits.MaxMessageSize) return Fail(SipParseErrorReason.MessageTooLarge, out error);

        var buffer = rest[..(bodyStart + bodyLen)].ToArray();
        var memory = new ReadOnlyMemory<byte>(buffer);
        msg.Headers.Capacity = headerCount;
        foreach (var (kind, ns, nl, vs, vl) in headerRanges.AsSpan(0, headerCount))
        {
            string name = SipHeaderNames.CanonicalIfExact(kind, buffer.AsSpan(ns, nl)) ?? Encoding.Latin1.GetString(buffer, ns, nl);
            msg.Headers.Add(new SipHeader(kind, name, memory.Slice(vs, vl)));
        }
        msg.SetParsedBody(memory.Slice(bodyStart, bodyLen));
        message = msg;
        consumed = start + bodyStart + bodyLen;
        return SipParseStatus.Complete;
        }
        finally
        {
            System.Buffers.ArrayPool<HeaderRange>.Shared.Return(headerRanges);
        }
    }

    private readonly record struct HeaderRange(SipHeaderKind Kind, int NameStart, int NameLength, int ValueStart, int ValueLength);

    private static SipParseStatus Fail(SipParseErrorReason reason, out SipParseError error, string? header = null)
    {
        error = new SipParseError(reason, header);
        return SipParseStatus.Invalid;
    }

    /// <summary>Stream prefix without the blank line yet: reject early what can never become valid.</summary>
    private static SipParseStatus ScanPrefix(ReadOnlySpan<byte> rest, SipParseLimits limits, out SipParseError error)
    {
        error = default;
        int firstLine = rest.IndexOf("\r\n"u8);
        int lineLen = firstLine < 0 ? rest.Length : firstLine;
        if (lineLen > limits.MaxLineLength) return Fail(SipParseErrorReason.MessageTooLarge, out error);
        return SipParseStatus.NeedMoreData;
    }

    private static SipParseErrorReason FirstProblem(ReadOnlySpan<byte> rest, SipParseLimits limits)
    {
        int lf = rest.IndexOf((byte)'\n');
        if (lf >= 0 && (lf == 0 || rest[lf - 1] != '\r')) return SipParseErrorReason.BadLineEnding;
        return rest.Length > limits.MaxLineLength ? SipParseErrorReason.MessageTooLarge : SipParseErrorReason.Truncated;
    }

    /// <summary>Inside a header line, CR and LF may appear only as a fold: CRLF followed by SP or HT.</summary>
    private static bool LineEndingsValid(ReadOnlySpan<byte> line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (b == '\n') return false;
            if (b == '\r')
            {
                if (i + 2 >= line.Length || line[i + 1] != '\n' || !SipGrammar.IsWsp(line[i + 2])) return false;
                i++;
            }
        }
        return true;
    }

    /// <summary>Request-Line = Method SP Request-URI SP SIP-Version (§7.1);
    /// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2). Exactly one SP between parts.</summary>
    private static SipParseErrorReason ParseStartLine(ReadOnlySpan<byte> line, out bool isRequest, out string method,
        out string uri, out int status, out string reason)
    {
        isRequest = false;
        method = uri = reason = string.Empty;
        status = 0;
        if (line.Length >= 4 && System.Text.Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            int sp = line.IndexOf((byte)' ');
            if (sp < 0) return SipParseErrorReason.BadStartLine;
            var v = CheckVersion(line[..sp]);
            if (v != SipParseErrorReason.None) return v;
            var tail = line[(sp + 1)..];
            // Status-Code = 3DIGIT (§21 defines 100-699); then SP Reason-Phrase, which may be empty.
            if (tail.Length < 3 || !SipGrammar.AllDigits(tail[..3]) || (tail.Length > 3 && tail[3] != ' '))
                return SipParseErrorReason.BadStatusCode;
            status = (tail[0] - '0') * 100 + (tail[1] - '0') * 10 + (tail[2] - '0');
            if (status < 100 || status > 699) return SipParseErrorReason.BadStatusCode;
            var phrase = tail.Length > 4 ? tail[4..] : default;
            foreach (byte b in phrase) if (b < 0x20 && b != '\t') return SipParseErrorReason.BadStartLine;
            reason = Encoding.Latin1.GetString(phrase);
            return SipParseErrorReason.None;
        }

        isRequest = true;
        int s1 = line.IndexOf((byte)' ');
        if (s1 <= 0) return SipParseErrorReason.BadStartLine;
        var m = line[..s1];
        if (!SipGrammar.IsAllToken(m)) return SipParseErrorReason.BadMethod;
        var afterMethod = line[(s1 + 1)..];
        int s2 = afterMethod.IndexOf((byte)' ');
        if (s2 < 0) return SipParseErrorReason.BadStartLine;
        var u = afterMethod[..s2];
        var version = afterMethod[(s2 + 1)..];
        if (u.IsEmpty) return SipParseErrorReason.BadStartLine;
        if (version.IndexOfAny((byte)' ', (byte)'\t') >= 0) return SipParseErrorReason.BadRequestUri;
        var vr = CheckVersion(version);
        if (vr != SipParseErrorReason.None) return vr;
        // §19.1.1: a Request-URI carries no LWS and no header component; brackets are not part of it.
        if (!SipUriSyntax.TryParse(u, out var parts)) return SipParseErrorReason.BadRequestUri;
        if (parts.Scheme is SipUriScheme.Sip or SipUriScheme.Sips && !parts.Headers.IsEmpty) return SipParseErrorReason.BadRequestUri;
        method = InternMethod(m);
        uri = Encoding.Latin1.GetString(u);
        return SipParseErrorReason.None;
    }

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything else well formed is answered 505 (§21.5.7).</summary>
    private static SipParseErrorReason CheckVersion(ReadOnlySpan<byte> v)
    {
        if (v.Length < 7 || !System.Text.Ascii.EqualsIgnoreCase(v[..4], "SIP/"u8)) return SipParseErrorReason.BadStartLine;
        var num = v[4..];
        int dot = num.IndexOf((byte)'.');
        if (dot <= 0 || !SipGrammar.AllDigits(num[..dot]) || !SipGrammar.AllDigits(num[(dot + 1)..])) return SipParseErrorReason.BadStartLine;
        return num.SequenceEqual("2.0"u8) ? SipParseErrorReason.None : SipParseErrorReason.UnsupportedVersion;
    }

    internal static string InternMethod(ReadOnlySpan<byte> m)
    {
        for (int i = 0; i < KnownMethodBytes.Length; i++)
            if (m.SequenceEqual(KnownMethodBytes[i])) return KnownMethods[i];
        return Encoding.Latin1.GetString(m);
    }

    private static SipParseErrorReason ValidateValue(SipHeaderKind kind, ReadOnlySpan<byte> value, bool isRequest, string method,
        SipParseLimits limits, ref long contentLength, out string? headerName)
    {
        headerName = SipHeaderNames.CanonicalName(kind);
        switch (kind)
        {
            case SipHeaderKind.Via:
                return SipHeaderSyntax.IsList(value, static (s, i) => SipHeaderSyntax.ScanVia(s, i, out _))
                    ? SipParseErrorReason.None : SipParseErrorReason.BadHeaderValue;

            case SipHeaderKind.From:
            case SipHeaderKind.To:
                // From/To = ( name-addr / addr-spec ) *( SEMI param ) (§20.20, §20.39): one value only.
                return SipHeaderSyntax.ScanNameAddr(value, 0, allowAddrSpec: true, out _) == value.Length
                    ? SipParseErrorReason.None : SipParseErrorReason.BadHeaderValue;

            case SipHeaderKind.Contact:
                // Contact = ( STAR / (contact-param *(COMMA contact-param)) ) (§20.10)
                if (value.SequenceEqual("*"u8)) return SipParseErrorReason.None;
                return ValidateContacts(value);

            case SipHeaderKind.Route:
            case SipHeaderKind.RecordRoute:
                // route-param = name-addr *( SEMI rr-param ) (§20.30, §20.34)
                return SipHeaderSyntax.IsList(value, static (s, i) => SipHeaderSyntax.ScanNameAddr(s, i, allowAddrSpec: false, out _))
                    ? SipParseErrorReason.None : SipParseErrorReason.BadHeaderValue;

            case SipHeaderKind.CallId:
            {
                // callid = word [ "@" word ] (§20.8)
                int at = value.IndexOf((byte)'@');
                bool ok = at < 0 ? SipGrammar.IsAllWord(value) : SipGrammar.IsAllWord(value[..at]) && SipGrammar.IsAllWord(value[(at + 1)..]);
                return ok ? SipParseErrorReason.None : SipParseErrorReason.BadHeaderValue;
            }

            case SipHeaderKind.CSeq:
            {
                // CSeq = 1*DIGIT LWS Method (§20.16); the number is below 2**31 (§8.1.1.5).
                int d = 0;
                while (d < value.Length && SipGrammar.IsDigit(value[d])) d++;
                if (d == 0) return SipParseErrorReason.BadHeaderValue;
                int m = SipGrammar.SkipLws(value, d);
                if (m == d || !SipGrammar.IsAllToken(value[m..])) return SipParseErrorReason.BadHeaderValue;
                if (!SipGrammar.TryParseUInt(value[..d], int.MaxValue, out _)) return SipParseErrorReason.ScalarOutOfRange;
                if (isRequest && !SameMethod(value[m..], method)) return SipParseErrorReason.CSeqMethodMismatch;
                return SipParseErrorReason.None;
            }

            case SipHeaderKind.MaxForwards:
                // Max-Forwards is 0-255 (§8.1.1.6).
                if (!SipGrammar.AllDigits(value)) return SipParseErrorReason.BadHeaderValue;
                return SipGrammar.TryParseUInt(value, 255, out _) ? SipParseErrorReason.None : SipParseErrorReason.ScalarOutOfRange;

            case SipHeaderKind.Expires:
            case SipHeaderKind.MinExpires:
                // delta-seconds fit in 32 bits (§20.19).
                if (!SipGrammar.AllDigits(value)) return SipParseErrorReason.BadHeaderValue;
                return SipGrammar.TryParseUInt(value, uint.MaxValue, out _) ? SipParseErrorReason.None : SipParseErrorReason.ScalarOutOfRange;

            case SipHeaderKind.ContentLength:
            {
                // Content-Length = 1*DIGIT (§20.14). A second, different value makes framing ambiguous.
                if (!SipGrammar.TryParseUInt(value, (ulong)limits.MaxMessageSize, out ulong cl))
                    return SipGrammar.AllDigits(value) ? SipParseErrorReason.MessageTooLarge : SipParseErrorReason.BadContentLength;
                if (contentLength >= 0) return SipParseErrorReason.BadContentLength;
                contentLength = (long)cl;
                return SipParseErrorReason.None;
            }

            case SipHeaderKind.ContentType:
            {
                // media-type = m-type SLASH m-subtype *(SEMI m-parameter) (§20.15)
                int t = SipGrammar.ScanToken(value, 0);
                if (t == 0) return SipParseErrorReason.BadHeaderValue;
                int sl = SipGrammar.SkipLws(value, t);
                if (sl >= value.Length || value[sl] != '/') return SipParseErrorReason.BadHeaderValue;
                int st = SipGrammar.SkipLws(value, sl + 1);
                int se = SipGrammar.ScanToken(value, st);
                if (se == st) return SipParseErrorReason.BadHeaderValue;
                int pe = SipHeaderSyntax.ScanParameters(value, se);
                return pe >= 0 && SipGrammar.SkipLws(value, pe) == value.Length ? SipParseErrorReason.None : SipParseErrorReason.BadHeaderValue;
            }

            default:
                headerName = null;
                return SipParseErrorReason.None;
        }
    }

    /// <summary>Methods are case-sensitive tokens (§7.1); the method string came from Latin-1 octets.</summary>
    private static bool SameMethod(ReadOnlySpan<byte> b, string method)
    {
        if (b.Length != method.Length) return false;
        for (int i = 0; i < b.Length; i++) if (b[i] != method[i]) return false;
        return true;
    }

    private static SipParseErrorReason ValidateContacts(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (true)
        {
            int e = SipHeaderSyntax.ScanNameAddr(value, i, allowAddrSpec: true, out var parts);
            if (e < 0) return SipParseErrorReason.BadHeaderValue;
            var prm = parts.Parameters.Of(value);
            // c-p-expires = "expires" EQUAL delta-seconds (§20.10), delta-seconds within 32 bits.
            if (SipHeaderSyntax.TryGetParameter(prm, "expires"u8, out var exp))
            {
                if (!SipGrammar.AllDigits(exp)) return SipParseErrorReason.BadHeaderValue;
                if (!SipGrammar.TryParseUInt(exp, uint.MaxValue, out _)) return SipParseErrorReason.ScalarOutOfRange;
            }
            // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
            if (SipHeaderSyntax.TryGetParameter(prm, "q"u8, out var q) && !IsQValue(q)) return SipParseErrorReason.BadHeaderValue;
            if (e >= value.Length) return SipParseErrorReason.None;
            if (value[e] != ',') return SipParseErrorReason.BadHeaderValue;
            i = e + 1;
        }
    }

    private static bool IsQValue(ReadOnlySpan<byte> q)
    {
        if (q.IsEmpty || (q[0] != '0' && q[0] != '1')) return false;
        if (q.Length == 1) return true;
        if (q[1] != '.' || q.Length > 5) return false;
        foreach (byte b in q[2..]) if (!SipGrammar.IsDigit(b) || (q[0] == '1' && b != '0')) return false;
        return true;
    }
}
