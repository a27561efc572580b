namespace Callbridge.Gateways.Sip;

/// <summary>How a dial-out sent its post-dial keys.</summary>
internal enum DtmfSendMethod
{
    /// <summary>RTP named events (RFC 4733): the answer negotiated telephone-event.</summary>
    Rfc4733,

    /// <summary>One SIP INFO per key (application/dtmf-relay): the answer had no telephone-event.</summary>
    SipInfo,
}
