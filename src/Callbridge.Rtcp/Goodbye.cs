using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// BYE (RFC 3550 §6.6).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |   PT=BYE=203  |             length            |
/// |                           SSRC/CSRC                           |
/// :                              ...                              :
/// |     length    |               reason for leaving            ...  (opt)
/// </code>
/// </summary>
public readonly ref struct Goodbye
{
    /// <summary>Sources as on the wire, 4 bytes each.</summary>
    public ReadOnlySpan<byte> SsrcBytes { get; init; }

    /// <summary>Reason text (UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> Reason { get; init; }

    public int SourceCount => SsrcBytes.Length / 4;

    public uint GetSsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(SsrcBytes.Slice(index * 4, 4));

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out Goodbye bye, out int consumed)
    {
        bye = default;
        var error = RtcpHeader.TryReadPacket(data, RtcpPacketType.Goodbye, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        int ssrcLength = header.Count * 4;
        if (body.Length < ssrcLength)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        ReadOnlySpan<byte> reason = default;
        if (body.Length > ssrcLength)
        {
            int reasonLength = body[ssrcLength];
            if (ssrcLength + 1 + reasonLength > body.Length)
            {
                consumed = 0;
                return RtcpError.InvalidReason;
            }

            reason = body.Slice(ssrcLength + 1, reasonLength);
        }

        bye = new Goodbye { SsrcBytes = body[..ssrcLength], Reason = reason };
        return RtcpError.None;
    }

    public int GetSerializedLength()
    {
        int length = RtcpHeader.Size + SsrcBytes.Length;
        if (!Reason.IsEmpty)
        {
            length += (1 + Reason.Length + 3) & ~3;
        }

        return length;
    }

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (SsrcBytes.Length % 4 != 0 || SourceCount > 31 || Reason.Length > 255)
        {
            RtcpWriter.ThrowInvalid("BYE holds 0..31 sources of 4 bytes and a reason of at most 255 bytes.");
        }

        RtcpHeader.Write(destination, (byte)SourceCount, (byte)RtcpPacketType.Goodbye, length);
        SsrcBytes.CopyTo(destination[4..]);
        int offset = 4 + SsrcBytes.Length;
        if (!Reason.IsEmpty)
        {
            destination[offset] = (byte)Reason.Length;
            Reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + Reason.Length)..length].Clear();
        }

        return length;
    }
}
