using System.Buffers.Binary;

namespace Callbridge.PhoneMedia;

/// <summary>
/// One RFC 4733 §2.3 named-event payload (telephone-event). A packet may carry several 4-byte blocks
/// (§2.5.1.5 redundancy); <see cref="TryParse"/> reads the first and reports 4 bytes consumed.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>Most negative power level, in -dBm0 (§2.3.4: 0..63).</summary>
    public const byte MaxVolume = 63;

    public static TelephoneEventParseError TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent value, out int consumed)
    {
        value = default;
        consumed = 0;
        if (payload.Length < Length)
        {
            return TelephoneEventParseError.TooShort;
        }

        // §2.3.2-2.3.5: E is bit 0 of octet 1, R (reserved, ignored by receivers) bit 1, volume the low six bits.
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        consumed = Length;
        return TelephoneEventParseError.None;
    }

    public int GetSerializedLength() => Length;

    public int WriteTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        destination[0] = Event;
        // §2.3.3: the sender sets R to zero.
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        return Length;
    }
}
