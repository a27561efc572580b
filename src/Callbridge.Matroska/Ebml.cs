using System.Buffers.Binary;

namespace Callbridge.Matroska;

/// <summary>
/// EBML element encoding (RFC 8794): element ids as their own bytes, sizes as variable-length
/// integers, unsigned/float/string payloads. Writes into a caller's <see cref="EbmlBuffer"/>.
/// </summary>
internal static class Ebml
{
    /// <summary>The reserved "unknown size" (RFC 8794 §6.2), 8 bytes: a reader takes the element to run to the end of its parent.</summary>
    public const ulong UnknownSize8 = 0x01FF_FFFF_FFFF_FFFF;

    public static void WriteId(EbmlBuffer b, uint id)
    {
        int length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        Span<byte> span = b.GetSpan(length);
        for (int i = 0; i < length; i++) span[i] = (byte)(id >> (8 * (length - 1 - i)));
        b.Advance(length);
    }

    /// <summary>Smallest VINT that holds <paramref name="value"/> (RFC 8794 §4): 7 value bits per byte of length.</summary>
    public static void WriteSize(EbmlBuffer b, ulong value)
    {
        int length = 1;
        // All-ones values are reserved, hence the strict comparison.
        while (length < 8 && value >= (1UL << (7 * length)) - 1) length++;
        WriteSize(b, value, length);
    }

    public static void WriteSize(EbmlBuffer b, ulong value, int length)
    {
        Span<byte> span = b.GetSpan(length);
        ulong marked = value | (1UL << (7 * length));
        for (int i = 0; i < length; i++) span[i] = (byte)(marked >> (8 * (length - 1 - i)));
        b.Advance(length);
    }

    public static void WriteUInt(EbmlBuffer b, uint id, ulong value)
    {
        int length = 1;
        while (length < 8 && value >> (8 * length) != 0) length++;
        WriteId(b, id);
        WriteSize(b, (ulong)length);
        Span<byte> span = b.GetSpan(length);
        for (int i = 0; i < length; i++) span[i] = (byte)(value >> (8 * (length - 1 - i)));
        b.Advance(length);
    }

    public static void WriteInt(EbmlBuffer b, uint id, long value)
    {
        WriteId(b, id);
        WriteSize(b, 8);
        BinaryPrimitives.WriteInt64BigEndian(b.GetSpan(8), value);
        b.Advance(8);
    }

    public static void WriteFloat(EbmlBuffer b, uint id, double value)
    {
        WriteId(b, id);
        WriteSize(b, 8);
        BinaryPrimitives.WriteDoubleBigEndian(b.GetSpan(8), value);
        b.Advance(8);
    }

    public static void WriteString(EbmlBuffer b, uint id, string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteId(b, id);
        WriteSize(b, (ulong)length);
        System.Text.Encoding.UTF8.GetBytes(value, b.GetSpan(length));
        b.Advance(length);
    }

    public static void WriteBinary(EbmlBuffer b, uint id, ReadOnlySpan<byte> value)
    {
        WriteId(b, id);
        WriteSize(b, (ulong)value.Length);
        value.CopyTo(b.GetSpan(value.Length));
        b.Advance(value.Length);
    }

    /// <summary>Starts a master element whose size is patched by <see cref="EndMaster"/>; returns the patch position.</summary>
    public static int BeginMaster(EbmlBuffer b, uint id)
    {
        WriteId(b, id);
        int at = b.Length;
        WriteSize(b, 0, 8);
        return at;
    }

    public static void EndMaster(EbmlBuffer b, int sizeAt)
    {
        ulong size = (ulong)(b.Length - sizeAt - 8);
        Span<byte> span = b.WrittenSpan.Slice(sizeAt, 8);
        ulong marked = size | (1UL << 56);
        BinaryPrimitives.WriteUInt64BigEndian(span, marked);
    }
}

/// <summary>A reusable growable byte buffer (the cluster being assembled); reset, not reallocated, per cluster.</summary>
internal sealed class EbmlBuffer(int initialCapacity = 64 * 1024)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public Span<byte> GetSpan(int size)
    {
        if (Length + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + size));
        return _buffer.AsSpan(Length, size);
    }

    public void Advance(int count) => Length += count;

    public void Reset() => Length = 0;
}
