namespace Callbridge.Matroska;

/// <summary>Why an EBML element header could not be read.</summary>
public enum EbmlReadError
{
    None,

    /// <summary>The input ends inside the header: more data may complete it.</summary>
    NeedMoreData,

    /// <summary>A first byte of zero, or a VINT longer than this reader allows (RFC 8794 §4).</summary>
    InvalidVint,
}

/// <summary>Element header reading (RFC 8794 §4 variable-size integers, §5 element ids).</summary>
internal static class EbmlReader
{
    /// <summary>The sizes' reserved all-ones value (RFC 8794 §6.2) as this reader reports it.</summary>
    public const ulong UnknownSize = ulong.MaxValue;

    /// <summary>Reads an element id (1-4 bytes, marker bit kept as part of the id) and its size.</summary>
    public static EbmlReadError TryReadHeader(ReadOnlySpan<byte> input, out uint id, out ulong size, out int consumed)
    {
        id = 0;
        size = 0;
        consumed = 0;
        // RFC 8794 §5: ids are VINTs of at most 4 bytes here (EBMLMaxIDLength 4).
        EbmlReadError error = TryReadVint(input, maxLength: 4, keepMarker: true, out ulong rawId, out int idLength);
        if (error != EbmlReadError.None) return error;
        error = TryReadVint(input[idLength..], maxLength: 8, keepMarker: false, out size, out int sizeLength);
        if (error != EbmlReadError.None) return error;
        // All value bits set means "unknown size" (RFC 8794 §6.2).
        if (size == (1UL << (7 * sizeLength)) - 1) size = UnknownSize;
        id = (uint)rawId;
        consumed = idLength + sizeLength;
        return EbmlReadError.None;
    }

    /// <summary>RFC 8794 §4.1: the count of leading zero bits of the first byte gives the length.</summary>
    public static EbmlReadError TryReadVint(ReadOnlySpan<byte> input, int maxLength, bool keepMarker, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        if (input.IsEmpty) return EbmlReadError.NeedMoreData;
        byte first = input[0];
        if (first == 0) return EbmlReadError.InvalidVint;
        length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 24 + 1;
        if (length > maxLength)
        {
            length = 0;
            return EbmlReadError.InvalidVint;
        }
        if (input.Length < length)
        {
            length = 0;
            return EbmlReadError.NeedMoreData;
        }
        value = keepMarker ? first : (ulong)(first & (0xFF >> length));
        for (int i = 1; i < length; i++) value = (value << 8) | input[i];
        return EbmlReadError.None;
    }
}
