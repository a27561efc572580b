namespace Callbridge.Audio.G711;

/// <summary>
/// ITU-T G.711 mu-law (PCMU, RTP payload type 0): 14-bit linear magnitude companded to 8 bits.
/// Table driven both ways: 256 decode entries and 16384 encode entries indexed by the 14-bit sample.
/// </summary>
public static class MuLaw
{
    /// <summary>Code of digital silence (+0).</summary>
    public const byte Silence = 0xFF;

    /// <summary>Bias added before segment search (G.711 Table 2a, 33 in 14-bit units).</summary>
    private const int Bias = 33;

    /// <summary>Largest 14-bit magnitude that still fits segment 7 once biased.</summary>
    private const int Clip = 8159;

    private static readonly short[] s_decode = BuildDecode();
    private static readonly byte[] s_encode = BuildEncode();

    public static short Decode(byte code) => s_decode[code];

    public static byte Encode(short sample) => s_encode[(sample >> 2) + 8192];

    /// <summary>Decodes <paramref name="source"/> into <paramref name="destination"/> (same length or longer).</summary>
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
            destination[i] = table[(source[i] >> 2) + 8192];
        }
    }

    private static short[] BuildDecode()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            // Codes are transmitted inverted; bit 7 is the sign (1 = positive after inversion).
            int u = ~code & 0xFF;
            int exponent = (u >> 4) & 0x07;
            int mantissa = u & 0x0F;
            // Reconstruction at the interval midpoint: ((2m + 33) << e) - 33, then scaled to 16 bits.
            int magnitude = (((mantissa << 1) + Bias) << exponent) - Bias;
            table[code] = (short)(((u & 0x80) != 0 ? -magnitude : magnitude) << 2);
        }

        return table;
    }

    private static byte[] BuildEncode()
    {
        var table = new byte[16384];
        for (int index = 0; index < table.Length; index++)
        {
            table[index] = EncodeSlow(index - 8192);
        }

        return table;
    }

    private static byte EncodeSlow(int sample14)
    {
        int mask;
        int magnitude;
        if (sample14 < 0)
        {
            magnitude = -sample14;
            mask = 0x7F;
        }
        else
        {
            magnitude = sample14;
            mask = 0xFF;
        }

        magnitude = Math.Min(magnitude, Clip) + Bias;
        // Segment = position of the leading one above bit 5 (G.711 Table 2a segment end points 0x3F..0x1FFF).
        int segment = 0;
        while (segment < 8 && magnitude > ((0x40 << segment) - 1))
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int code = (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F);
        return (byte)(code ^ mask);
    }
}
