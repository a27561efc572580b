using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// FIR (RFC 5104 §4.3.1): PSFB (PT 206), FMT 4; the media source SSRC is unused (0), the targets are in the FCI.
/// <code>
/// |V=2|P|  FMT=4  |   PT=206      |          length               |
/// |                  SSRC of packet sender                        |
/// |             SSRC of media source (unused, 0)                  |
/// |                              SSRC                             |  (repeated)
/// | Seq nr.       |    Reserved                                   |
/// </code>
/// </summary>
public readonly ref struct FullIntraRequest
{
    public const byte Format = 4;

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    /// <summary>FCI as on the wire (8 bytes per entry), or empty when <see cref="Entries"/> is used for writing.</summary>
    public ReadOnlySpan<byte> Fci { get; init; }

    /// <summary>Entries supplied for writing; ignored when <see cref="Fci"/> is set.</summary>
    public ReadOnlySpan<FirEntry> Entries { get; init; }

    public int EntryCount => Fci.IsEmpty ? Entries.Length : Fci.Length / FirEntry.Size;

    public FirEntry GetEntry(int index)
    {
        if (Fci.IsEmpty)
        {
            return Entries[index];
        }

        var entry = Fci.Slice(index * FirEntry.Size, FirEntry.Size);
        return new FirEntry(BinaryPrimitives.ReadUInt32BigEndian(entry), entry[4]);
    }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out FullIntraRequest fir, out int consumed)
    {
        fir = default;
        var error = FeedbackHeader.TryRead(data, RtcpPacketType.PayloadFeedback, Format, out uint sender, out uint media, out var fci, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        // §4.3.1.2: one or more FCI entries.
        if (fci.Length < FirEntry.Size)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        fir = new FullIntraRequest { SenderSsrc = sender, MediaSsrc = media, Fci = fci[..(fci.Length / FirEntry.Size * FirEntry.Size)] };
        return RtcpError.None;
    }

    public int GetSerializedLength() => FeedbackHeader.Size + EntryCount * FirEntry.Size;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (EntryCount == 0)
        {
            RtcpWriter.ThrowInvalid("FIR needs at least one entry.");
        }

        FeedbackHeader.Write(destination, RtcpPacketType.PayloadFeedback, Format, length, SenderSsrc, MediaSsrc);
        for (int i = 0; i < EntryCount; i++)
        {
            var entry = GetEntry(i);
            var target = destination.Slice(FeedbackHeader.Size + i * FirEntry.Size, FirEntry.Size);
            BinaryPrimitives.WriteUInt32BigEndian(target, entry.Ssrc);
            target[4] = entry.SequenceNumber;
            target[5..].Clear();
        }

        return length;
    }
}
