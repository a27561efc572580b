namespace Callbridge.Stun;

/// <summary>
/// First-byte demultiplexing of STUN, DTLS and RTP/RTCP sharing one port (RFC 7983 §7, updating
/// RFC 5764 §5.1.2): 0..3 STUN, 16..19 ZRTP, 20..63 DTLS, 64..79 TURN channel, 128..191 RTP/RTCP.
/// </summary>
public static class Rfc7983Demultiplexer
{
    public static Rfc7983PacketKind Classify(ReadOnlySpan<byte> datagram) =>
        datagram.IsEmpty ? Rfc7983PacketKind.Unknown : Classify(datagram[0]);

    public static Rfc7983PacketKind Classify(byte first) => first switch
    {
        <= 3 => Rfc7983PacketKind.Stun,
        >= 16 and <= 19 => Rfc7983PacketKind.Zrtp,
        >= 20 and <= 63 => Rfc7983PacketKind.Dtls,
        >= 64 and <= 79 => Rfc7983PacketKind.TurnChannel,
        >= 128 and <= 191 => Rfc7983PacketKind.RtpOrRtcp,
        _ => Rfc7983PacketKind.Unknown,
    };
}
