using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Callbridge.Rtp;

/// <summary>
/// A view of one RTP packet (RFC 3550 §5.1). Parsing copies nothing: <see cref="Payload"/>,
/// <see cref="CsrcBytes"/> and <see cref="ExtensionBody"/> are slices of the caller's buffer, valid
/// as long as that buffer is. The same view, filled by the caller, serializes a packet.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |  (if X, §5.3.1)
/// |                        header extension                       |
/// </code>
/// </remarks>
public readonly ref struct RtpPacket
{
    /// <summary>Fixed header size in bytes (RFC 3550 §5.1).</summary>
    public const int FixedHeaderLength = 12;

    /// <summary>Most CSRCs a 4-bit CC can announce.</summary>
    public const int MaxCsrcCount = 15;

    public bool Marker { get; init; }

    /// <summary>7-bit payload type.</summary>
    public byte PayloadType { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public uint Ssrc { get; init; }

    /// <summary>CSRC list as it is on the wire: 4 big-endian bytes per identifier.</summary>
    public ReadOnlySpan<byte> CsrcBytes { get; init; }

    /// <summary>True when the X bit is (to be) set.</summary>
    public bool HasExtension { get; init; }

    /// <summary>The 16-bit "defined by profile" field: 0xBEDE for RFC 8285 one-byte, 0x100x for two-byte.</summary>
    public ushort ExtensionProfile { get; init; }

    /// <summary>Header extension body (a multiple of 4 bytes), without its 4-byte header.</summary>
    public ReadOnlySpan<byte> ExtensionBody { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Number of padding octets after the payload, including the count octet itself; 0 = no P bit.</summary>
    public byte PaddingLength { get; init; }

    public int CsrcCount => CsrcBytes.Length / 4;

    public uint GetCsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(CsrcBytes.Slice(index * 4, 4));

    /// <summary>Which RFC 8285 form the extension uses, from <see cref="ExtensionProfile"/>.</summary>
    public RtpHeaderExtensionForm ExtensionForm =>
        !HasExtension ? RtpHeaderExtensionForm.None : RtpHeaderExtensions.FormOf(ExtensionProfile);

    /// <summary>Header length: fixed part, CSRCs and extension.</summary>
    public int HeaderLength => FixedHeaderLength + CsrcBytes.Length + (HasExtension ? 4 + ExtensionBody.Length : 0);

    /// <summary>Parses <paramref name="data"/> as one RTP packet; the whole span is the packet (one datagram).</summary>
    public static RtpParseError TryParse(ReadOnlySpan<byte> data, out RtpPacket packet, out int consumed)
    {
        packet = default;
        consumed = 0;
        // RFC 3550 §5.1: 12-byte fixed header.
        if (data.Length < FixedHeaderLength)
        {
            return RtpParseError.TooShort;
        }

        byte b0 = data[0];
        if (b0 >> 6 != 2)
        {
            return RtpParseError.UnsupportedVersion;
        }

        bool padding = (b0 & 0x20) != 0;
        bool extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int offset = FixedHeaderLength;

        // §5.1 CSRC list: CC items of 32 bits.
        int csrcBytes = csrcCount * 4;
        if (data.Length < offset + csrcBytes)
        {
            return RtpParseError.CsrcTruncated;
        }

        ReadOnlySpan<byte> csrc = data.Slice(offset, csrcBytes);
        offset += csrcBytes;

        ushort profile = 0;
        ReadOnlySpan<byte> extensionBody = default;
        if (extension)
        {
            // §5.3.1: 16-bit profile field, 16-bit length in 32-bit words excluding this header.
            if (data.Length < offset + 4)
            {
                return RtpParseError.ExtensionHeaderTruncated;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset, 2));
            int extensionLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2, 2)) * 4;
            offset += 4;
            if (data.Length - offset < extensionLength)
            {
                return RtpParseError.ExtensionTruncated;
            }

            extensionBody = data.Slice(offset, extensionLength);
            offset += extensionLength;
        }

        int end = data.Length;
        byte paddingLength = 0;
        if (padding)
        {
            // §5.1: the last octet counts the padding octets including itself; it cannot be 0.
            paddingLength = data[^1];
            if (paddingLength == 0 || paddingLength > end - offset)
            {
                return RtpParseError.InvalidPadding;
            }

            end -= paddingLength;
        }

        packet = new RtpPacket
        {
            Marker = (data[1] & 0x80) != 0,
            PayloadType = (byte)(data[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2, 2)),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(4, 4)),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(8, 4)),
            CsrcBytes = csrc,
            HasExtension = extension,
            ExtensionProfile = profile,
            ExtensionBody = extensionBody,
            Payload = data[offset..end],
            PaddingLength = paddingLength,
        };
        consumed = data.Length;
        return RtpParseError.None;
    }

    /// <summary>Finds extension element <paramref name="id"/> (RFC 8285); false when absent or the block is malformed before it.</summary>
    public bool TryGetExtension(int id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!HasExtension)
        {
            return false;
        }

        var enumerator = new RtpHeaderExtensionEnumerator(ExtensionProfile, ExtensionBody);
        while (enumerator.MoveNext())
        {
            if (enumerator.Id == id)
            {
                value = enumerator.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>Enumerates the RFC 8285 extension elements without allocating.</summary>
    public RtpHeaderExtensionEnumerator GetExtensions() =>
        HasExtension ? new RtpHeaderExtensionEnumerator(ExtensionProfile, ExtensionBody) : default;

    public int GetSerializedLength() => HeaderLength + Payload.Length + PaddingLength;

    /// <summary>Writes the packet; returns the bytes written. The destination must hold <see cref="GetSerializedLength"/> bytes.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            ThrowHelpers.DestinationTooShort(length, destination.Length);
        }

        if (CsrcBytes.Length % 4 != 0 || CsrcBytes.Length > MaxCsrcCount * 4)
        {
            ThrowHelpers.Invalid("CSRC bytes must be 0..15 identifiers of 4 bytes.");
        }

        if (ExtensionBody.Length % 4 != 0 || ExtensionBody.Length > ushort.MaxValue * 4)
        {
            ThrowHelpers.Invalid("Extension body must be a multiple of 4 bytes.");
        }

        destination[0] = (byte)(0x80 | (PaddingLength > 0 ? 0x20 : 0) | (HasExtension ? 0x10 : 0) | CsrcCount);
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), Ssrc);
        int offset = FixedHeaderLength;
        CsrcBytes.CopyTo(destination.Slice(offset));
        offset += CsrcBytes.Length;
        if (HasExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset), ExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(offset + 2), (ushort)(ExtensionBody.Length / 4));
            offset += 4;
            ExtensionBody.CopyTo(destination.Slice(offset));
            offset += ExtensionBody.Length;
        }

        Payload.CopyTo(destination.Slice(offset));
        offset += Payload.Length;
        if (PaddingLength > 0)
        {
            destination.Slice(offset, PaddingLength - 1).Clear();
            offset += PaddingLength;
            destination[offset - 1] = PaddingLength;
        }

        return offset;
    }

    /// <summary>Reads only the sequence number of a datagram already known to be RTP; no validation beyond length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryPeekSequenceNumber(ReadOnlySpan<byte> data, out ushort sequenceNumber)
    {
        if (data.Length < FixedHeaderLength)
        {
            sequenceNumber = 0;
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2, 2));
        return true;
    }
}
