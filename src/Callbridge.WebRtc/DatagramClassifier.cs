namespace Callbridge.WebRtc;

/// <summary>RFC 7983 §7 demultiplexing, then RFC 5761 §4 to split RTCP from RTP on a muxed port.</summary>
internal static class DatagramClassifier
{
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Unknown;
        }

        byte first = datagram[0];
        // RFC 7983 §7: [0..3] STUN, [16..19] ZRTP, [20..63] DTLS, [64..79] TURN channel, [128..191] RTP/RTCP.
        return first switch
        {
            <= 3 => DatagramKind.Stun,
            >= 16 and <= 19 => DatagramKind.ZrtpOrOther,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 64 and <= 79 => DatagramKind.Turn,
            >= 128 and <= 191 => datagram.Length >= 2 && IsRtcpPayloadType(datagram[1]) ? DatagramKind.Rtcp : DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }

    // RFC 5761 §4: RTCP packet types 192-223 (FIR/NACK 192-193, SR/RR/SDES/BYE/APP 200-204, feedback 205-207)
    // occupy what RTP would read as marker + payload type 64-95, which RTP must not use with rtcp-mux.
    private static bool IsRtcpPayloadType(byte second) => second is >= 192 and <= 223;
}
