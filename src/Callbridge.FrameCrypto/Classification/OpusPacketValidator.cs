namespace Callbridge.FrameCrypto.Classification;

/// <summary>
/// Structural check of an Opus packet: the TOC byte (RFC 6716 §3.1) and the frame packing of codes 0..3
/// (§3.2) against the requirements of §3.4. Any TOC value is a valid TOC, so only the packing can fail.
/// </summary>
public static class OpusPacketValidator
{
    private const int MaxFrameLength = 1275;

    // §3.1 Table 2 frame durations in units of 2.5 ms; 120 ms = 48 units.
    private const int MaxPacketDurationUnits = 48;

    public static OpusPacketError Validate(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return OpusPacketError.Empty;
        }

        byte toc = packet[0];
        int code = toc & 0x3;
        var data = packet[1..];
        switch (code)
        {
            case 0:
                // §3.2.2: one frame.
                return data.Length <= MaxFrameLength ? OpusPacketError.None : OpusPacketError.FrameTooLong;
            case 1:
                // §3.2.3: two frames of equal size.
                if ((data.Length & 1) != 0)
                {
                    return OpusPacketError.Code1OddPayload;
                }

                return data.Length / 2 <= MaxFrameLength ? OpusPacketError.None : OpusPacketError.FrameTooLong;
            case 2:
            {
                // §3.2.4: two frames, the first one's length coded in 1 or 2 bytes.
                if (!TryReadFrameLength(data, out int first, out int used) || first > data.Length - used)
                {
                    return OpusPacketError.Code2BadLength;
                }

                int second = data.Length - used - first;
                return first <= MaxFrameLength && second <= MaxFrameLength ? OpusPacketError.None : OpusPacketError.FrameTooLong;
            }

            default:
                return ValidateCode3(toc, data);
        }
    }

    /// <summary>Frame duration of a TOC configuration in 2.5 ms units (§3.1 Table 2).</summary>
    public static int FrameDurationUnits(byte toc)
    {
        int config = toc >> 3;
        if (config < 12)
        {
            // SILK-only: 10, 20, 40, 60 ms.
            return (config & 3) switch { 0 => 4, 1 => 8, 2 => 16, _ => 24 };
        }

        if (config < 16)
        {
            // Hybrid: 10, 20 ms.
            return (config & 1) == 0 ? 4 : 8;
        }

        // CELT-only: 2.5, 5, 10, 20 ms.
        return 1 << (config & 3);
    }

    private static OpusPacketError ValidateCode3(byte toc, ReadOnlySpan<byte> data)
    {
        // §3.2.5: frame-count byte |v|p|  M  |.
        if (data.IsEmpty)
        {
            return OpusPacketError.Code3BadFrameCount;
        }

        byte countByte = data[0];
        int frames = countByte & 0x3F;
        bool vbr = (countByte & 0x80) != 0;
        bool padded = (countByte & 0x40) != 0;
        if (frames == 0 || frames * FrameDurationUnits(toc) > MaxPacketDurationUnits)
        {
            return OpusPacketError.Code3BadFrameCount;
        }

        int offset = 1;
        int padding = 0;
        if (padded)
        {
            // Each 255 adds 254 bytes of padding and another length byte follows.
            while (true)
            {
                if (offset >= data.Length)
                {
                    return OpusPacketError.Code3BadLengths;
                }

                byte b = data[offset++];
                padding += b == 255 ? 254 : b;
                if (b != 255)
                {
                    break;
                }
            }
        }

        int remaining = data.Length - offset - padding;
        if (remaining < 0)
        {
            return OpusPacketError.Code3BadLengths;
        }

        if (!vbr)
        {
            if (remaining % frames != 0)
            {
                return OpusPacketError.Code3BadLengths;
            }

            return remaining / frames <= MaxFrameLength ? OpusPacketError.None : OpusPacketError.FrameTooLong;
        }

        int sum = 0;
        for (int i = 0; i < frames - 1; i++)
        {
            if (!TryReadFrameLength(data[offset..], out int length, out int used))
            {
                return OpusPacketError.Code3BadLengths;
            }

            offset += used;
            remaining -= used;
            sum += length;
            if (length > MaxFrameLength)
            {
                return OpusPacketError.FrameTooLong;
            }
        }

        int last = remaining - sum;
        if (last < 0)
        {
            return OpusPacketError.Code3BadLengths;
        }

        return last <= MaxFrameLength ? OpusPacketError.None : OpusPacketError.FrameTooLong;
    }

    /// <summary>§3.2.1: 0..251 in one byte; 252..255 take a second byte, length = 4 x second + first.</summary>
    private static bool TryReadFrameLength(ReadOnlySpan<byte> data, out int length, out int used)
    {
        length = 0;
        used = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        if (data[0] < 252)
        {
            length = data[0];
            used = 1;
            return true;
        }

        if (data.Length < 2)
        {
            return false;
        }

        length = (4 * data[1]) + data[0];
        used = 2;
        return true;
    }
}
