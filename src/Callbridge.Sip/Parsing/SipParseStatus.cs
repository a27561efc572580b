namespace Callbridge.Sip.Parsing;

/// <summary>Outcome of a parse attempt.</summary>
public enum SipParseStatus
{
    /// <summary>A whole message was parsed; <c>consumed</c> bytes belong to it.</summary>
    Complete,
    /// <summary>Stream framing only: the bytes so far are a valid prefix; read more.</summary>
    NeedMoreData,
    /// <summary>The bytes are not a SIP message; see the error.</summary>
    Invalid,
}
