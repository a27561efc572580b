namespace Callbridge.Sip.Parsing;

/// <summary>Why a SIP message was refused. Each reason maps to the status a UAS answers with.</summary>
public enum SipParseErrorReason
{
    None = 0,
    /// <summary>Start line is not Request-Line or Status-Line (RFC 3261 §7.1, §7.2).</summary>
    BadStartLine,
    /// <summary>Method is not a token (§25.1).</summary>
    BadMethod,
    /// <summary>Request-URI is malformed, or carries LWS or headers (§19.1.1).</summary>
    BadRequestUri,
    /// <summary>SIP-Version is well formed but not SIP/2.0 (§8.2.2 -> 505).</summary>
    UnsupportedVersion,
    /// <summary>Status-Code is not three digits 100-699 (§7.2, §21).</summary>
    BadStatusCode,
    /// <summary>A header line has no colon or a name that is not a token (§7.3.1).</summary>
    BadHeaderLine,
    /// <summary>A header value does not match its grammar (§25.1, §20).</summary>
    BadHeaderValue,
    /// <summary>Content-Length is negative, not a number, or repeated with another value (§20.14).</summary>
    BadContentLength,
    /// <summary>Content-Length exceeds the bytes of the datagram (§18.3).</summary>
    ContentLengthMismatch,
    /// <summary>CSeq method differs from the Request-Line method (§8.2.2 / RFC 4475 §3.1.2.17).</summary>
    CSeqMethodMismatch,
    /// <summary>A scalar (CSeq, Max-Forwards, expires) is beyond its range (§8.1.1.5, §8.1.1.6, §20.19).</summary>
    ScalarOutOfRange,
    /// <summary>Message, header line or header count exceeds the parser limits (§21.5.14 -> 513).</summary>
    MessageTooLarge,
    /// <summary>Datagram ends before the blank line that ends the header section (§7).</summary>
    Truncated,
    /// <summary>Line ends are not CRLF (§7).</summary>
    BadLineEnding,
}
