using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// Shared layout of RFC 4585 §6.1 feedback messages.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|   FMT   |       PT      |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// :            Feedback Control Information (FCI)                 :
/// </code>
/// </summary>
internal static class FeedbackHeader
{
    public const int Size = 12;

    public static RtcpError TryRead(ReadOnlySpan<byte> data, RtcpPacketType type, byte format, out uint senderSsrc, out uint mediaSsrc, out ReadOnlySpan<byte> fci, out int consumed)
    {
        senderSsrc = 0;
        mediaSsrc = 0;
        fci = default;
        var error = RtcpHeader.TryReadPacket(data, type, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        if (header.Count != format)
        {
            consumed = 0;
            return RtcpError.WrongFormat;
        }

        if (body.Length < 8)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        senderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        fci = body[8..];
        return RtcpError.None;
    }

    public static void Write(Span<byte> destination, RtcpPacketType type, byte format, int length, uint senderSsrc, uint mediaSsrc)
    {
        RtcpHeader.Write(destination, format, (byte)type, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }
}
