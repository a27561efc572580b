using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// RR: receiver report (RFC 3550 §6.4.2).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct ReceiverReport
{
    public uint Ssrc { get; init; }

    public ReportBlockList ReportBlocks { get; init; }

    public ReadOnlySpan<byte> ProfileExtension { get; init; }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out ReceiverReport report, out int consumed)
    {
        report = default;
        var error = RtcpHeader.TryReadPacket(data, RtcpPacketType.ReceiverReport, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        int blocksLength = header.Count * ReportBlock.Size;
        if (body.Length < 4 + blocksLength)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        report = new ReceiverReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            ReportBlocks = ReportBlockList.FromWire(body.Slice(4, blocksLength)),
            ProfileExtension = body[(4 + blocksLength)..],
        };
        return RtcpError.None;
    }

    public int GetSerializedLength() => RtcpHeader.Size + 4 + ReportBlocks.SerializedLength + ProfileExtension.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (ProfileExtension.Length % 4 != 0)
        {
            RtcpWriter.ThrowInvalid("Profile extension must be a multiple of 4 bytes.");
        }

        RtcpHeader.Write(destination, (byte)ReportBlocks.Count, (byte)RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Ssrc);
        int offset = 8 + ReportBlocks.WriteTo(destination[8..]);
        ProfileExtension.CopyTo(destination[offset..]);
        return length;
    }
}
