namespace Callbridge.Rtp;

/// <summary>
/// The MID header extension (RFC 8843 §15, carried as an RFC 7941 SDES item): the m= line's mid as
/// ASCII bytes without terminator. The value is a slice; compare it with <see cref="Matches"/> to stay allocation-free.
/// </summary>
public static class MediaIdentification
{
    public const string Uri = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>RFC 8843 §15 bounds the value by the extension element: the one-byte form carries at most 16 bytes.</summary>
    public const int MaxOneByteLength = 16;

    /// <summary>A mid is a non-empty token (RFC 8843 §9.1 / RFC 5888); we reject control bytes and non-ASCII.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> mid)
    {
        mid = default;
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        mid = value;
        return true;
    }

    /// <summary>Ordinal comparison of the wire bytes with a mid string, without allocating.</summary>
    public static bool Matches(ReadOnlySpan<byte> value, ReadOnlySpan<char> mid)
    {
        if (value.Length != mid.Length)
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != mid[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes an ASCII mid; returns bytes written or -1 when it is not a valid ASCII token or does not fit.</summary>
    public static int WriteTo(ReadOnlySpan<char> mid, Span<byte> destination)
    {
        if (mid.IsEmpty || mid.Length > destination.Length)
        {
            return -1;
        }

        for (int i = 0; i < mid.Length; i++)
        {
            char c = mid[i];
            if (c is < '!' or > '~')
            {
                return -1;
            }

            destination[i] = (byte)c;
        }

        return mid.Length;
    }
}
