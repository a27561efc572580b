using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// SR: sender report (RFC 3550 §6.4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct SenderReport
{
    private const int SenderInfoSize = 20;

    public uint Ssrc { get; init; }

    /// <summary>64-bit NTP timestamp (32.32) of the moment <see cref="RtpTimestamp"/> refers to.</summary>
    public ulong NtpTimestamp { get; init; }

    public uint RtpTimestamp { get; init; }

    public uint PacketCount { get; init; }

    public uint OctetCount { get; init; }

    public ReportBlockList ReportBlocks { get; init; }

    /// <summary>Profile-specific extension after the blocks (a multiple of 4 bytes when written).</summary>
    public ReadOnlySpan<byte> ProfileExtension { get; init; }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out SenderReport report, out int consumed)
    {
        report = default;
        var error = RtcpHeader.TryReadPacket(data, RtcpPacketType.SenderReport, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        int blocksLength = header.Count * ReportBlock.Size;
        if (body.Length < 4 + SenderInfoSize + blocksLength)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        report = new SenderReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(body.Slice(4)),
            RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(12)),
            PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(16)),
            OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(20)),
            ReportBlocks = ReportBlockList.FromWire(body.Slice(24, blocksLength)),
            ProfileExtension = body[(24 + blocksLength)..],
        };
        return RtcpError.None;
    }

    public int GetSerializedLength() => RtcpHeader.Size + 4 + SenderInfoSize + ReportBlocks.SerializedLength + ProfileExtension.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (ProfileExtension.Length % 4 != 0)
        {
            RtcpWriter.ThrowInvalid("Profile extension must be a multiple of 4 bytes.");
        }

        RtcpHeader.Write(destination, (byte)ReportBlocks.Count, (byte)RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8), NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), OctetCount);
        int offset = 28 + ReportBlocks.WriteTo(destination[28..]);
        ProfileExtension.CopyTo(destination[offset..]);
        return length;
    }
}
