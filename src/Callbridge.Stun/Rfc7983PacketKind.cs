namespace Callbridge.Stun;

/// <summary>What a datagram on a shared WebRTC 5-tuple is, by its first byte (RFC 7983 §7).</summary>
public enum Rfc7983PacketKind
{
    Unknown = 0,
    Stun,
    Zrtp,
    Dtls,
    TurnChannel,
    RtpOrRtcp,
}
