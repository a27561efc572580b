namespace Callbridge.Sip.Parsing;

/// <summary>A typed parse failure: the reason, the header it concerns, and the SIP status to answer.</summary>
public readonly record struct SipParseError(SipParseErrorReason Reason, string? Header = null)
{
    /// <summary>Status a UAS answers with (RFC 3261 §21): 505 bad version, 513 too large, else 400.</summary>
    public int StatusCode => Reason switch
    {
        SipParseErrorReason.None => 0,
        SipParseErrorReason.UnsupportedVersion => 505,
        SipParseErrorReason.MessageTooLarge => 513,
        _ => 400,
    };

    /// <summary>A reason phrase for the answer that says what was wrong (§8.2.2 allows any phrase).</summary>
    public string ReasonPhrase => Reason switch
    {
        SipParseErrorReason.UnsupportedVersion => "Version Not Supported",
        SipParseErrorReason.MessageTooLarge => "Message Too Large",
        SipParseErrorReason.BadStartLine => "Bad Request - Malformed Start Line",
        SipParseErrorReason.BadMethod => "Bad Request - Malformed Method",
        SipParseErrorReason.BadRequestUri => "Bad Request - Malformed Request-URI",
        SipParseErrorReason.BadStatusCode => "Bad Request - Malformed Status Code",
        SipParseErrorReason.BadHeaderLine => "Bad Request - Malformed Header Line",
        SipParseErrorReason.BadHeaderValue => Header is null ? "Bad Request - Malformed Header" : "Bad Request - Malformed " + Header,
        SipParseErrorReason.BadContentLength => "Bad Request - Bad Content-Length",
        SipParseErrorReason.ContentLengthMismatch => "Bad Request - Content-Length Exceeds Message",
        SipParseErrorReason.CSeqMethodMismatch => "Bad Request - CSeq Method Mismatch",
        SipParseErrorReason.ScalarOutOfRange => Header is null ? "Bad Request - Value Out Of Range" : "Bad Request - " + Header + " Out Of Range",
        SipParseErrorReason.Truncated => "Bad Request - Truncated Message",
        SipParseErrorReason.BadLineEnding => "Bad Request - Line Ending Not CRLF",
        _ => "Bad Request",
    };

    public override string ToString() => $"{Reason} ({StatusCode} {ReasonPhrase})";
}

