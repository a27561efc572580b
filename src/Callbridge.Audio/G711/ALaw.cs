namespace Callbridge.Audio.G711;

/// <summary>
/// ITU-T G.711 A-law (PCMA, RTP payload type 8): 13-bit linear companded to 8 bits, even bits
/// inverted (XOR 0x55) on the line. Table driven: 256 decode entries, 8192 encode entries.
/// </summary>
public static class ALaw
{
    /// <summary>Code of the smallest positive step, used as silence.</summary>
    public const byte Silence = 0xD5;

    private static readonly short[] s_decode = BuildDecode();
    private static readonly byte[] s_encode = BuildEncode();

    public static short Decode(byte code) => s_decode[code];

    public static byte Encode(short sample) => s_encode[(sample >> 3) + 4096];

    public static void Decode(ReadOnlySpan<byte> source, Span<short> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        ReadOnlySpan<short> table = s_decode;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    public static void Encode(ReadOnlySpan<short> source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length);
        ReadOnlySpan<byte> table = s_encode;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = table[(source[i] >> 3) + 4096];
        }
    }

    private static short[] BuildDecode()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int a = code ^ 0x55;
            int mantissa = a & 0x0F;
            int segment = (a >> 4) & 0x07;
            // G.711 Table 1a decision/reconstruction: segment 0 is linear (step 2), others double per
            // segment; reconstruction at the interval midpoint. Values below are in 16-bit units.
            int magnitude = segment == 0
                ? (mantissa << 4) + 8
                : ((mantissa << 4) + 0x108) << (segment - 1);
            table[code] = (short)((a & 0x80) != 0 ? magnitude : -magnitude);
        }

        return table;
    }

    private static byte[] BuildEncode()
    {
        var table = new byte[8192];
        for (int index = 0; index < table.Length; index++)
        {
            table[index] = EncodeSlow(index - 4096);
        }

        return table;
    }

    private static byte EncodeSlow(int sample13)
    {
        int mask;
        int magnitude;
        if (sample13 >= 0)
        {
            mask = 0xD5;
            magnitude = sample13;
        }
        else
        {
            // One's complement for negatives so that -1 lands in the first interval like +0.
            mask = 0x55;
            magnitude = -sample13 - 1;
        }

        // Segment end points 0x1F, 0x3F, ..., 0xFFF (G.711 Table 1a).
        int segment = 0;
        while (segment < 8 && magnitude > ((0x20 << segment) - 1))
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = segment << 4;
        code |= segment < 2 ? (magnitude >> 1) & 0x0F : (magnitude >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }
}
