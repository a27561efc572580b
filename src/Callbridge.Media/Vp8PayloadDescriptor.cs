namespace Callbridge.Media;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2).
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL, M: 15-bit PictureID)
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   |
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct Vp8PayloadDescriptor
{
    /// <summary>Most bytes a descriptor can take.</summary>
    public const int MaxLength = 6;

    /// <summary>A descriptor with no optional fields.</summary>
    public Vp8PayloadDescriptor()
    {
        PictureId = -1;
        Tl0PicIndex = -1;
        TemporalLayer = -1;
        KeyIndex = -1;
    }

    public bool NonReference { get; init; }

    /// <summary>S: the first packet of a partition.</summary>
    public bool StartOfPartition { get; init; }

    public byte PartitionIndex { get; init; }

    /// <summary>PictureID (7 or 15 bits); -1 when absent.</summary>
    public int PictureId { get; init; }

    /// <summary>True when the PictureID is 15 bits (M bit).</summary>
    public bool LongPictureId { get; init; }

    /// <summary>TL0PICIDX; -1 when absent.</summary>
    public int Tl0PicIndex { get; init; }

    /// <summary>Temporal layer index; -1 when absent.</summary>
    public int TemporalLayer { get; init; }

    public bool LayerSync { get; init; }

    /// <summary>KEYIDX; -1 when absent.</summary>
    public int KeyIndex { get; init; }

    /// <summary>True for the first packet of a frame: S set and partition 0.</summary>
    public bool IsFrameStart => StartOfPartition && PartitionIndex == 0;

    /// <summary>Parses the descriptor at the start of an RTP payload; <paramref name="consumed"/> is its length.</summary>
    public static Vp8ParseError TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor, out int consumed)
    {
        descriptor = default;
        consumed = 0;
        if (payload.IsEmpty)
        {
            return Vp8ParseError.Empty;
        }

        byte first = payload[0];
        int offset = 1;
        int pictureId = -1;
        bool longPictureId = false;
        int tl0 = -1;
        int tid = -1;
        bool sync = false;
        int keyIndex = -1;
        if ((first & 0x80) != 0)
        {
            // X: extension byte I|L|T|K.
            if (payload.Length < 2)
            {
                return Vp8ParseError.DescriptorTruncated;
            }

            byte ext = payload[1];
            offset = 2;
            if ((ext & 0x80) != 0)
            {
                if (payload.Length <= offset)
                {
                    return Vp8ParseError.DescriptorTruncated;
                }

                if ((payload[offset] & 0x80) != 0)
                {
                    if (payload.Length <= offset + 1)
                    {
                        return Vp8ParseError.DescriptorTruncated;
                    }

                    pictureId = (payload[offset] & 0x7F) << 8 | payload[offset + 1];
                    longPictureId = true;
                    offset += 2;
                }
                else
                {
                    pictureId = payload[offset] & 0x7F;
                    offset++;
                }
            }

            if ((ext & 0x40) != 0)
            {
                if (payload.Length <= offset)
                {
                    return Vp8ParseError.DescriptorTruncated;
                }

                tl0 = payload[offset++];
            }

            if ((ext & 0x30) != 0)
            {
                // §4.2: one TID|Y|KEYIDX byte when T or K is set; each field is meaningful only with its bit.
                if (payload.Length <= offset)
                {
                    return Vp8ParseError.DescriptorTruncated;
                }

                byte tk = payload[offset++];
                if ((ext & 0x20) != 0)
                {
                    tid = tk >> 6;
                    sync = (tk & 0x20) != 0;
                }

                if ((ext & 0x10) != 0)
                {
                    keyIndex = tk & 0x1F;
                }
            }
        }

        if (offset >= payload.Length)
        {
            return Vp8ParseError.NoVp8Data;
        }

        descriptor = new Vp8PayloadDescriptor
        {
            NonReference = (first & 0x20) != 0,
            StartOfPartition = (first & 0x10) != 0,
            PartitionIndex = (byte)(first & 0x07),
            PictureId = pictureId,
            LongPictureId = longPictureId,
            Tl0PicIndex = tl0,
            TemporalLayer = tid,
            LayerSync = sync,
            KeyIndex = keyIndex,
        };
        consumed = offset;
        return Vp8ParseError.None;
    }

    public int GetSerializedLength()
    {
        bool hasExtension = PictureId >= 0 || Tl0PicIndex >= 0 || TemporalLayer >= 0 || KeyIndex >= 0;
        if (!hasExtension)
        {
            return 1;
        }

        int length = 2;
        if (PictureId >= 0)
        {
            length += LongPictureId || PictureId > 0x7F ? 2 : 1;
        }

        if (Tl0PicIndex >= 0)
        {
            length++;
        }

        if (TemporalLayer >= 0 || KeyIndex >= 0)
        {
            length++;
        }

        return length;
    }

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too short for the VP8 payload descriptor.", nameof(destination));
        }

        bool hasExtension = length > 1;
        destination[0] = (byte)((hasExtension ? 0x80 : 0) | (NonReference ? 0x20 : 0) | (StartOfPartition ? 0x10 : 0) | (PartitionIndex & 0x07));
        if (!hasExtension)
        {
            return 1;
        }

        int offset = 2;
        byte ext = 0;
        if (PictureId >= 0)
        {
            ext |= 0x80;
            if (LongPictureId || PictureId > 0x7F)
            {
                destination[offset++] = (byte)(0x80 | ((PictureId >> 8) & 0x7F));
                destination[offset++] = (byte)PictureId;
            }
            else
            {
                destination[offset++] = (byte)PictureId;
            }
        }

        if (Tl0PicIndex >= 0)
        {
            ext |= 0x40;
            destination[offset++] = (byte)Tl0PicIndex;
        }

        if (TemporalLayer >= 0 || KeyIndex >= 0)
        {
            byte tk = 0;
            if (TemporalLayer >= 0)
            {
                ext |= 0x20;
                tk |= (byte)((TemporalLayer & 0x03) << 6 | (LayerSync ? 0x20 : 0));
            }

            if (KeyIndex >= 0)
            {
                ext |= 0x10;
                tk |= (byte)(KeyIndex & 0x1F);
            }

            destination[offset++] = tk;
        }

        destination[1] = ext;
        return offset;
    }
}
