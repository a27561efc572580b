using System.Buffers.Binary;
using Callbridge.Rtp;

namespace Callbridge.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 §6.2.1): RTPFB (PT 205), FMT 1, FCI = one or more (PID, BLP) pairs.
/// <code>
/// |V=2|P|  FMT=1  |   PT=205      |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// |            PID                |             BLP               |  (repeated)
/// </code>
/// </summary>
public readonly ref struct GenericNack
{
    public const byte Format = 1;

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    /// <summary>FCI as on the wire, 4 bytes per <see cref="NackItem"/>.</summary>
    public ReadOnlySpan<byte> Fci { get; init; }

    public int ItemCount => Fci.Length / 4;

    public NackItem GetItem(int index)
    {
        var entry = Fci.Slice(index * 4, 4);
        return new NackItem(BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt16BigEndian(entry[2..]));
    }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out GenericNack nack, out int consumed)
    {
        nack = default;
        var error = FeedbackHeader.TryRead(data, RtcpPacketType.TransportFeedback, Format, out uint sender, out uint media, out var fci, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        // §6.2.1: at least one FCI entry.
        if (fci.Length < 4)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        nack = new GenericNack { SenderSsrc = sender, MediaSsrc = media, Fci = fci[..(fci.Length & ~3)] };
        return RtcpError.None;
    }

    public int GetSerializedLength() => FeedbackHeader.Size + Fci.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (Fci.Length == 0 || Fci.Length % 4 != 0)
        {
            RtcpWriter.ThrowInvalid("Generic NACK needs one or more 4-byte FCI entries.");
        }

        FeedbackHeader.Write(destination, RtcpPacketType.TransportFeedback, Format, length, SenderSsrc, MediaSsrc);
        Fci.CopyTo(destination[FeedbackHeader.Size..]);
        return length;
    }

    /// <summary>
    /// Encodes lost sequence numbers, in ascending wrap-aware order, as FCI pairs. Returns the bytes
    /// written, or -1 when <paramref name="destination"/> is too small.
    /// </summary>
    public static int WriteFci(ReadOnlySpan<ushort> lost, Span<byte> destination)
    {
        int offset = 0;
        int i = 0;
        while (i < lost.Length)
        {
            if (offset + 4 > destination.Length)
            {
                return -1;
            }

            ushort pid = lost[i++];
            ushort mask = 0;
            while (i < lost.Length)
            {
                int distance = SequenceNumbers.Distance(pid, lost[i]);
                if (distance < 1 || distance > 16)
                {
                    if (distance < 1)
                    {
                        // Duplicate or out of order: skip it rather than corrupt the bitmap.
                        i++;
                        continue;
                    }

                    break;
                }

                mask |= (ushort)(1 << (distance - 1));
                i++;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], mask);
            offset += 4;
        }

        return offset;
    }
}
