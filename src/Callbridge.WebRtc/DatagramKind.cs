namespace Callbridge.WebRtc;

/// <summary>The protocols RFC 7983 §7 tells apart by the first byte of a datagram on one 5-tuple.</summary>
internal enum DatagramKind
{
    Unknown = 0,
    Stun,
    ZrtpOrOther,
    Dtls,
    Turn,
    /// <summary>RTP or RTCP (RFC 5761 §4 then tells which by the payload type).</summary>
    Rtp,
    Rtcp,
}
