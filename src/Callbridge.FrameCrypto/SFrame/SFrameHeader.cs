using System.Buffers.Binary;

namespace Callbridge.FrameCrypto.SFrame;

/// <summary>
/// The SFrame header, RFC 9605 §4.3:
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+------------+------------+
/// |X|  K  |Y|  C  |   KID...   |   CTR...   |
/// +-+-+-+-+-+-+-+-+------------+------------+
/// </code>
/// X = 0: K is the KID (0..7); X = 1: K + 1 bytes of big-endian KID follow. Y/C likewise for the CTR.
/// Values are written in the shortest form; any well-formed length is accepted on parse.
/// </summary>
public readonly record struct SFrameHeader(ulong KeyId, ulong Counter)
{
    public const int MaxLength = 1 + 8 + 8;

    /// <summary>False when <paramref name="source"/> is shorter than the header its config byte announces.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out SFrameHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        byte config = source[0];
        int offset = 1;
        ulong kid = (ulong)((config >> 4) & 0x7);
        if ((config & 0x80) != 0)
        {
            // §4.3: X set, K is the KID length minus one.
            if (!TryReadBigEndian(source, ref offset, (int)kid + 1, out kid))
            {
                return false;
            }
        }

        ulong ctr = (ulong)(config & 0x7);
        if ((config & 0x08) != 0)
        {
            // §4.3: Y set, C is the CTR length minus one.
            if (!TryReadBigEndian(source, ref offset, (int)ctr + 1, out ctr))
            {
                return false;
            }
        }

        header = new SFrameHeader(kid, ctr);
        consumed = offset;
        return true;
    }

    public int GetSerializedLength() => 1 + ExtendedLength(KeyId) + ExtendedLength(Counter);

    /// <summary>Writes the header; returns the bytes written, or 0 when <paramref name="destination"/> is too small.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int kidLength = ExtendedLength(KeyId);
        int ctrLength = ExtendedLength(Counter);
        int total = 1 + kidLength + ctrLength;
        if (destination.Length < total)
        {
            return 0;
        }

        byte config = kidLength == 0 ? (byte)(KeyId << 4) : (byte)(0x80 | ((kidLength - 1) << 4));
        config |= ctrLength == 0 ? (byte)Counter : (byte)(0x08 | (ctrLength - 1));
        destination[0] = config;
        WriteBigEndian(destination.Slice(1, kidLength), KeyId);
        WriteBigEndian(destination.Slice(1 + kidLength, ctrLength), Counter);
        return total;
    }

    /// <summary>Bytes after the config byte for a value: 0 when it fits the 3-bit field, else its minimal length.</summary>
    private static int ExtendedLength(ulong value) =>
        value < 8 ? 0 : (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8;

    private static bool TryReadBigEndian(ReadOnlySpan<byte> source, ref int offset, int length, out ulong value)
    {
        value = 0;
        if (source.Length - offset < length)
        {
            return false;
        }

        foreach (byte b in source.Slice(offset, length))
        {
            value = (value << 8) | b;
        }

        offset += length;
        return true;
    }

    private static void WriteBigEndian(Span<byte> destination, ulong value)
    {
        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(full, value);
        full[(8 - destination.Length)..].CopyTo(destination);
    }
}
