using System.Buffers.Binary;

namespace Callbridge.Audio.Wav;

/// <summary>
/// The part of a RIFF/WAVE file before the samples: the format and where the data chunk starts.
/// </summary>
public readonly record struct WavHeader(WavFormat Format, long? DataLength)
{
    /// <summary>Header size written by <see cref="WriteTo"/>: RIFF(12) + fmt(8+16) + data(8).</summary>
    public const int CanonicalLength = 44;

    /// <summary>Sizes of 0 or 0xFFFFFFFF in a data chunk mean "until the end of the stream" (streamed output).</summary>
    private const uint UnknownLength = 0xFFFFFFFF;

    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>
    /// Parses the RIFF header and walks chunks up to the start of the "data" chunk's payload.
    /// <paramref name="consumed"/> is the offset of the first sample. Unknown chunks (LIST, fact, ...)
    /// are skipped. Returns <see cref="WavError.Truncated"/> when more input is needed.
    /// </summary>
    public static WavError TryParse(ReadOnlySpan<byte> input, out WavHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (input.Length < 12)
        {
            return WavError.Truncated;
        }

        // RIFF chunk descriptor: "RIFF", u32 size, form type "WAVE" (Microsoft RIFF, "Multimedia
        // Programming Interface and Data Specifications 1.0", WAVE form).
        if (!input[..4].SequenceEqual("RIFF"u8))
        {
            return WavError.NotRiff;
        }

        if (!input.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return WavError.NotWave;
        }

        int offset = 12;
        WavFormat? format = null;
        while (true)
        {
            if (input.Length - offset < 8)
            {
                return WavError.Truncated;
            }

            ReadOnlySpan<byte> id = input.Slice(offset, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(input.Slice(offset + 4, 4));
            int body = offset + 8;
            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    return WavError.MissingFormatChunk;
                }

                long? length = size is 0 or UnknownLength ? null : size;
                header = new WavHeader(format.Value, length);
                consumed = body;
                return WavError.None;
            }

            // Chunks are padded to an even size.
            long next = body + (long)size + (size & 1);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    return WavError.FormatChunkTooShort;
                }

                if (input.Length - body < Math.Min(size, 64u))
                {
                    return WavError.Truncated;
                }

                WavError formatError = ParseFormat(input.Slice(body, (int)Math.Min(size, 64u)), out WavFormat parsed);
                if (formatError != WavError.None)
                {
                    return formatError;
                }

                format = parsed;
            }

            if (next > int.MaxValue)
            {
                return WavError.MissingDataChunk;
            }

            if (next > input.Length)
            {
                return WavError.Truncated;
            }

            offset = (int)next;
        }
    }

    private static WavError ParseFormat(ReadOnlySpan<byte> fmt, out WavFormat format)
    {
        // WAVEFORMATEX: u16 tag, u16 channels, u32 rate, u32 byte rate, u16 block align, u16 bits.
        format = default;
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        ushort channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        ushort blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) then the sub-format GUID whose
            // first two bytes carry the format tag.
            if (fmt.Length < 26)
            {
                return WavError.FormatChunkTooShort;
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (tag != FormatPcm)
        {
            return WavError.NotPcm;
        }

        if (bits != WavFormat.BitsPerSample)
        {
            return WavError.UnsupportedBitsPerSample;
        }

        if (channels == 0 || rate == 0 || rate > int.MaxValue || blockAlign != channels * 2)
        {
            return WavError.InvalidFormat;
        }

        format = new WavFormat((int)rate, channels);
        return WavError.None;
    }

    /// <summary>Writes the canonical 44-byte header; a null data length is written as 0xFFFFFFFF.</summary>
    public int WriteTo(Span<byte> destination)
    {
        uint data = DataLength is long n ? checked((uint)n) : UnknownLength;
        uint riff = DataLength is long m ? checked((uint)(m + 36)) : UnknownLength;
        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riff);
        "WAVE"u8.CopyTo(destination[8..]);
        "fmt "u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[22..], (ushort)Format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)Format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], (uint)Format.ByteRate);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[32..], (ushort)Format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[34..], WavFormat.BitsPerSample);
        "data"u8.CopyTo(destination[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], data);
        return CanonicalLength;
    }

    public static int GetSerializedLength() => CanonicalLength;
}
