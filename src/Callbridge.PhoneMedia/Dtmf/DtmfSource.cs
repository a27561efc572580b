namespace Callbridge.PhoneMedia;

/// <summary>How a digit reached us.</summary>
public enum DtmfSource
{
    /// <summary>RTP telephone-event packets (RFC 4733).</summary>
    Rfc4733,

    /// <summary>A SIP INFO request body (application/dtmf-relay or application/dtmf).</summary>
    SipInfo,
}
