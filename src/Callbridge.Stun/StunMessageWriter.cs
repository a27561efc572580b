using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Callbridge.Stun;

/// <summary>
/// Writes a STUN message into a caller's buffer, attribute by attribute, keeping the header length
/// current. Integrity and fingerprint attributes are computed over what was written before them, so
/// add them last: MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256, then FINGERPRINT (RFC 8489 §14.5-14.7).
/// A buffer too small for what is added is a caller bug and throws; 1280 bytes fit every ICE check.
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunMessageWriter(Span<byte> buffer, StunMessageType type, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunMessage.TransactionIdLength)
        {
            throw new ArgumentException("A transaction ID is 12 bytes (RFC 8489 §5).", nameof(transactionId));
        }

        EnsureCapacity(buffer.Length, StunMessage.HeaderLength);
        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.Encode());
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Adds a TLV with zero padding to a 4-byte boundary (RFC 8489 §14).</summary>
    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> destination = Reserve(type, value.Length);
        value.CopyTo(destination);
    }

    public void AddAttribute(StunAttributeType type, scoped ReadOnlySpan<byte> value) => AddAttribute((ushort)type, value);

    public void AddXorMappedAddress(in StunAddress address)
    {
        // RFC 8489 §14.2: port XOR top 16 bits of the cookie, address XOR cookie (+ transaction ID for IPv6).
        int length = address.AddressLength;
        Span<byte> value = Reserve((ushort)StunAttributeType.XorMappedAddress, 4 + length);
        value[0] = 0;
        value[1] = address.Family == AddressFamily.InterNetwork ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(address.Port ^ (StunMessage.MagicCookie >> 16)));
        address.WriteAddressBytes(value[4..]);
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        _buffer.Slice(8, StunMessage.TransactionIdLength).CopyTo(mask[4..]);
        for (int i = 0; i < length; i++)
        {
            value[4 + i] ^= mask[i];
        }
    }

    public void AddMappedAddress(in StunAddress address)
    {
        Span<byte> value = Reserve((ushort)StunAttributeType.MappedAddress, 4 + address.AddressLength);
        value[0] = 0;
        value[1] = address.Family == AddressFamily.InterNetwork ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], address.Port);
        address.WriteAddressBytes(value[4..]);
    }

    public void AddUsername(scoped ReadOnlySpan<byte> username) => AddAttribute(StunAttributeType.Username, username);

    /// <summary>Writes USERNAME from UTF-16 without allocating.</summary>
    public void AddUsername(scoped ReadOnlySpan<char> username) => AddUtf8(StunAttributeType.Username, username);

    public void AddSoftware(scoped ReadOnlySpan<char> software) => AddUtf8(StunAttributeType.Software, software);

    public void AddPriority(uint priority)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve((ushort)StunAttributeType.Priority, 4), priority);
    }

    public void AddUseCandidate() => Reserve((ushort)StunAttributeType.UseCandidate, 0);

    public void AddIceControlling(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(Reserve((ushort)StunAttributeType.IceControlling, 8), tieBreaker);

    public void AddIceControlled(ulong tieBreaker) =>
        BinaryPrimitives.WriteUInt64BigEndian(Reserve((ushort)StunAttributeType.IceControlled, 8), tieBreaker);

    /// <summary>ERROR-CODE (RFC 8489 §14.8) for a code in 300..699 and a UTF-8 reason phrase.</summary>
    public void AddErrorCode(int code, scoped ReadOnlySpan<char> reason)
    {
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), "ERROR-CODE is 300..699.");
        }

        int reasonLength = Encoding.UTF8.GetByteCount(reason);
        Span<byte> value = Reserve((ushort)StunAttributeType.ErrorCode, 4 + reasonLength);
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value[4..]);
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).</summary>
    public void AddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        Span<byte> value = Reserve((ushort)StunAttributeType.UnknownAttributes, types.Length * 2);
        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], types[i]);
        }
    }

    /// <summary>MESSAGE-INTEGRITY, HMAC-SHA1 keyed with the short-term password or long-term key (RFC 8489 §9.2.2, §14.5).</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        int start = _length;
        EnsureCapacity(_buffer.Length, start + 24);
        StunMessage.ComputeHmac(_buffer[..start], 24, key, sha256: false, _buffer.Slice(start + 4, 20));
        WriteAttributeHeader(start, (ushort)StunAttributeType.MessageIntegrity, 20);
        _length = start + 24;
        UpdateHeaderLength();
    }

    /// <summary>MESSAGE-INTEGRITY-SHA256, full 32 bytes (RFC 8489 §14.6).</summary>
    public void AddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        int start = _length;
        EnsureCapacity(_buffer.Length, start + 36);
        StunMessage.ComputeHmac(_buffer[..start], 36, key, sha256: true, _buffer.Slice(start + 4, 32));
        WriteAttributeHeader(start, (ushort)StunAttributeType.MessageIntegritySha256, 32);
        _length = start + 36;
        UpdateHeaderLength();
    }

    /// <summary>FINGERPRINT, the last attribute (RFC 8489 §14.7).</summary>
    public void AddFingerprint()
    {
        int start = _length;
        EnsureCapacity(_buffer.Length, start + 8);
        uint crc = StunMessage.ComputeFingerprint(_buffer[..start]);
        WriteAttributeHeader(start, (ushort)StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[(start + 4)..], crc);
        _length = start + 8;
        UpdateHeaderLength();
    }

    private void AddUtf8(StunAttributeType type, scoped ReadOnlySpan<char> text)
    {
        Span<byte> value = Reserve((ushort)type, Encoding.UTF8.GetByteCount(text));
        Encoding.UTF8.GetBytes(text, value);
    }

    private Span<byte> Reserve(ushort type, int valueLength)
    {
        int padded = (valueLength + 3) & ~3;
        int start = _length;
        EnsureCapacity(_buffer.Length, start + 4 + padded);
        WriteAttributeHeader(start, type, valueLength);
        _buffer.Slice(start + 4 + valueLength, padded - valueLength).Clear();
        _length = start + 4 + padded;
        UpdateHeaderLength();
        return _buffer.Slice(start + 4, valueLength);
    }

    private readonly void WriteAttributeHeader(int offset, ushort type, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(offset + 2)..], (ushort)length);
    }

    private readonly void UpdateHeaderLength() =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));

    private static void EnsureCapacity(int capacity, int needed)
    {
        if (needed > capacity || needed - StunMessage.HeaderLength > ushort.MaxValue)
        {
            ThrowTooSmall();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooSmall() => throw new ArgumentException("The STUN write buffer is too small for this message.");
}
