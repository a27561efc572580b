using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// The common RTCP header (RFC 3550 §6.4.1, RFC 4585 §6.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/FMT  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// length is the packet size in 32-bit words minus one.
/// </summary>
public readonly record struct RtcpHeader(bool Padding, byte Count, byte PacketType, ushort LengthInWords)
{
    public const int Size = 4;

    /// <summary>Whole packet size in bytes: (length + 1) * 4.</summary>
    public int PacketLength => (LengthInWords + 1) * 4;

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out RtcpHeader header)
    {
        header = default;
        if (data.Length < Size)
        {
            return RtcpError.TooShort;
        }

        if (data[0] >> 6 != 2)
        {
            return RtcpError.UnsupportedVersion;
        }

        header = new RtcpHeader((data[0] & 0x20) != 0, (byte)(data[0] & 0x1F), data[1], BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2, 2)));
        return RtcpError.None;
    }

    /// <summary>Writes a header for a packet of <paramref name="packetLength"/> bytes (a multiple of 4, at least 4).</summary>
    public static void Write(Span<byte> destination, byte count, byte packetType, int packetLength, bool padding = false)
    {
        destination[0] = (byte)(0x80 | (padding ? 0x20 : 0) | (count & 0x1F));
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)(packetLength / 4 - 1));
    }

    /// <summary>
    /// Reads the header of the packet at the start of <paramref name="data"/> and returns its body (after the
    /// header, without padding). Shared by every packet parser so they validate the same way.
    /// </summary>
    internal static RtcpError TryReadPacket(ReadOnlySpan<byte> data, RtcpPacketType expected, out RtcpHeader header, out ReadOnlySpan<byte> body, out int consumed)
    {
        body = default;
        consumed = 0;
        var error = TryParse(data, out header);
        if (error != RtcpError.None)
        {
            return error;
        }

        if (header.PacketType != (byte)expected)
        {
            return RtcpError.WrongPacketType;
        }

        return TrySlice(data, header, out body, out consumed);
    }

    internal static RtcpError TrySlice(ReadOnlySpan<byte> data, RtcpHeader header, out ReadOnlySpan<byte> body, out int consumed)
    {
        body = default;
        consumed = 0;
        int length = header.PacketLength;
        if (length > data.Length)
        {
            return RtcpError.Truncated;
        }

        int end = length;
        if (header.Padding)
        {
            // §6.4.1: the last octet counts padding octets, itself included.
            int padding = data[length - 1];
            if (padding == 0 || padding > length - Size)
            {
                return RtcpError.InvalidPadding;
            }

            end -= padding;
        }

        body = data[Size..end];
        consumed = length;
        return RtcpError.None;
    }

    /// <summary>Maps a header to the parser that reads it.</summary>
    public RtcpPacketKind Classify(ReadOnlySpan<byte> packet)
    {
        switch ((RtcpPacketType)PacketType)
        {
            case RtcpPacketType.SenderReport: return RtcpPacketKind.SenderReport;
            case RtcpPacketType.ReceiverReport: return RtcpPacketKind.ReceiverReport;
            case RtcpPacketType.SourceDescription: return RtcpPacketKind.SourceDescription;
            case RtcpPacketType.Goodbye: return RtcpPacketKind.Goodbye;
            case RtcpPacketType.ApplicationDefined: return RtcpPacketKind.ApplicationDefined;
            case RtcpPacketType.TransportFeedback:
                return Count switch
                {
                    GenericNack.Format => RtcpPacketKind.GenericNack,
                    RawRtcpPacket.TransportWideFeedbackFormat => RtcpPacketKind.TransportWideFeedback,
                    _ => RtcpPacketKind.Unknown,
                };
            case RtcpPacketType.PayloadFeedback:
                return Count switch
                {
                    PictureLossIndication.Format => RtcpPacketKind.PictureLossIndication,
                    FullIntraRequest.Format => RtcpPacketKind.FullIntraRequest,
                    ReceiverEstimatedMaxBitrate.Format => packet.Length >= 16 && packet.Slice(12, 4).SequenceEqual("REMB"u8)
                        ? RtcpPacketKind.ReceiverEstimatedMaxBitrate
                        : RtcpPacketKind.ApplicationLayerFeedback,
                    _ => RtcpPacketKind.Unknown,
                };
            default:
                return RtcpPacketKind.Unknown;
        }
    }
}
