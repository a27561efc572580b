using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Callbridge.Stun;

/// <summary>
/// A STUN message parsed in place over the caller's bytes (RFC 8489). Parsing validates the header,
/// every attribute's framing and the fixed shape of the attributes this library knows, so the
/// accessors below cannot meet malformed data. Nothing is copied or allocated.
/// </summary>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdLength = 12;
    private const uint FingerprintXor = 0x5354554E;

    private readonly int _integrityOffset;
    private readonly int _integritySha256Offset;
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> raw, int integrityOffset, int integritySha256Offset, int fingerprintOffset)
    {
        Raw = raw;
        _integrityOffset = integrityOffset;
        _integritySha256Offset = integritySha256Offset;
        _fingerprintOffset = fingerprintOffset;
    }

    /// <summary>The whole message (header and attributes), a slice of the input.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public StunMessageType Type => StunMessageType.Decode(BinaryPrimitives.ReadUInt16BigEndian(Raw));

    public ReadOnlySpan<byte> TransactionId => Raw.Slice(8, TransactionIdLength);

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    public bool HasMessageIntegritySha256 => _integritySha256Offset >= 0;

    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>Quick test for "could this datagram be STUN" (RFC 8489 §5 and §7.3: zero top bits, magic cookie).</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    /// <summary>
    /// Parses one message from the start of <paramref name="input"/>. On success <paramref name="consumed"/>
    /// is the message size (header + declared length); trailing bytes are not part of it.
    /// </summary>
    public static StunParseError TryParse(ReadOnlySpan<byte> input, out StunMessage message, out int consumed)
    {
        message = default;
        consumed = 0;

        // RFC 8489 §5: 20-byte header, top two bits zero, length in bytes excluding the header,
        // always a multiple of 4 since attributes are padded to 4-byte boundaries.
        if (input.Length < HeaderLength)
        {
            return StunParseError.TooShort;
        }

        if ((input[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(input[4..]) != MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
        if ((bodyLength & 3) != 0)
        {
            return StunParseError.LengthNotMultipleOfFour;
        }

        int total = HeaderLength + bodyLength;
        if (input.Length < total)
        {
            return StunParseError.Truncated;
        }

        ReadOnlySpan<byte> raw = input[..total];
        int integrity = -1, integrity256 = -1, fingerprint = -1;
        int offset = HeaderLength;
        while (offset < total)
        {
            // RFC 8489 §14: type (16), length (16) of the value before padding, value padded to 4 bytes.
            if (offset + 4 > total)
            {
                return StunParseError.AttributeTruncated;
            }

            if (fingerprint >= 0)
            {
                // RFC 8489 §14.7: FINGERPRINT is the last attribute.
                return StunParseError.AttributeAfterFingerprint;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(raw[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(raw[(offset + 2)..]);
            int padded = (length + 3) & ~3;
            if (offset + 4 + padded > total)
            {
                return StunParseError.AttributeTruncated;
            }

            // Attributes after MESSAGE-INTEGRITY other than MI-SHA256/FINGERPRINT are ignored (§14.5),
            // so their content is not validated either.
            bool ignored = integrity >= 0 && type != (ushort)StunAttributeType.MessageIntegritySha256
                && type != (ushort)StunAttributeType.Fingerprint;
            if (!ignored)
            {
                StunParseError error = ValidateAttribute(type, raw.Slice(offset + 4, length));
                if (error != StunParseError.None)
                {
                    return error;
                }

                switch ((StunAttributeType)type)
                {
                    case StunAttributeType.MessageIntegrity when integrity < 0 && integrity256 < 0:
                        integrity = offset;
                        break;
                    case StunAttributeType.MessageIntegritySha256 when integrity256 < 0:
                        integrity256 = offset;
                        break;
                    case StunAttributeType.Fingerprint:
                        fingerprint = offset;
                        break;
                }
            }

            offset += 4 + padded;
        }

        message = new StunMessage(raw, integrity, integrity256, fingerprint);
        consumed = total;
        return StunParseError.None;
    }

    private static StunParseError ValidateAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        switch ((StunAttributeType)type)
        {
            case StunAttributeType.MappedAddress:
            case StunAttributeType.XorMappedAddress:
                // RFC 8489 §14.1/§14.2: reserved byte, family (0x01 IPv4, 0x02 IPv6), port, address.
                if (value.Length < 4)
                {
                    return StunParseError.InvalidAttributeLength;
                }

                return value[1] switch
                {
                    0x01 => value.Length == 8 ? StunParseError.None : StunParseError.InvalidAttributeLength,
                    0x02 => value.Length == 20 ? StunParseError.None : StunParseError.InvalidAttributeLength,
                    _ => StunParseError.InvalidAddressFamily,
                };
            case StunAttributeType.Username:
                // RFC 8489 §14.3 asks for fewer than 509 bytes; RFC 5389's 513 is accepted from older peers.
                return value.Length <= 513 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.MessageIntegrity:
                // RFC 8489 §14.5: HMAC-SHA1, 20 bytes.
                return value.Length == 20 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.MessageIntegritySha256:
                // RFC 8489 §14.6: 16 to 32 bytes, a multiple of 4 (truncated HMAC-SHA256).
                return value.Length is >= 16 and <= 32 && (value.Length & 3) == 0
                    ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.Fingerprint:
            case StunAttributeType.Priority:
                // RFC 8489 §14.7 (CRC-32), RFC 8445 §16.1 (32-bit priority).
                return value.Length == 4 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.UseCandidate:
                // RFC 8445 §16.1: no value.
                return value.Length == 0 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.IceControlled:
            case StunAttributeType.IceControlling:
                // RFC 8445 §16.1: 64-bit tiebreaker.
                return value.Length == 8 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.ErrorCode:
                // RFC 8489 §14.8: 21 reserved bits, class (3 bits, 3..6), number (0..99), reason < 763 bytes.
                if (value.Length < 4 || value.Length > 4 + 763)
                {
                    return StunParseError.InvalidAttributeLength;
                }

                int errorClass = value[2] & 0x07;
                return errorClass is >= 3 and <= 6 && value[3] <= 99 ? StunParseError.None : StunParseError.InvalidErrorCode;
            case StunAttributeType.UnknownAttributes:
                // RFC 8489 §14.9: a list of 16-bit types.
                return (value.Length & 1) == 0 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            case StunAttributeType.Software:
            case StunAttributeType.Realm:
            case StunAttributeType.Nonce:
                // RFC 8489 §14.14, §14.9, §14.10: fewer than 128 characters, at most 763 bytes.
                return value.Length <= 763 ? StunParseError.None : StunParseError.InvalidAttributeLength;
            default:
                return StunParseError.None;
        }
    }

    public StunAttributeEnumerator GetAttributes() => new(Raw);

    /// <summary>The first attribute of <paramref name="type"/> (RFC 8489 §14: later duplicates are ignored).</summary>
    public bool TryGetAttribute(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (attribute.Type == (ushort)type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool HasAttribute(StunAttributeType type) => TryGetAttribute(type, out _);

    public bool TryGetXorMappedAddress(out StunAddress address) =>
        TryGetAddress(StunAttributeType.XorMappedAddress, xor: true, out address);

    public bool TryGetMappedAddress(out StunAddress address) =>
        TryGetAddress(StunAttributeType.MappedAddress, xor: false, out address);

    private bool TryGetAddress(StunAttributeType type, bool xor, out StunAddress address)
    {
        if (!TryGetAttribute(type, out ReadOnlySpan<byte> value))
        {
            address = default;
            return false;
        }

        // RFC 8489 §14.2: X-Port is the port XOR the cookie's top 16 bits; X-Address is the address
        // XOR the cookie (IPv4) or the cookie followed by the transaction ID (IPv6).
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        int length = value[1] == 0x01 ? 4 : 16;
        Span<byte> bytes = stackalloc byte[16];
        value.Slice(4, length).CopyTo(bytes);
        if (xor)
        {
            port ^= (ushort)(MagicCookie >> 16);
            Span<byte> mask = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
            TransactionId.CopyTo(mask[4..]);
            for (int i = 0; i < length; i++)
            {
                bytes[i] ^= mask[i];
            }
        }

        address = new StunAddress(length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, bytes[..length], port);
        return true;
    }

    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryGetAttribute(StunAttributeType.Username, out username);

    public bool TryGetSoftware(out ReadOnlySpan<byte> software) => TryGetAttribute(StunAttributeType.Software, out software);

    public bool TryGetPriority(out uint priority) => TryGetUInt32(StunAttributeType.Priority, out priority);

    public bool HasUseCandidate => HasAttribute(StunAttributeType.UseCandidate);

    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>ERROR-CODE as class*100 + number, and the UTF-8 reason phrase (RFC 8489 §14.8).</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out ReadOnlySpan<byte> value))
        {
            code = 0;
            reason = default;
            return false;
        }

        code = ((value[2] & 0x07) * 100) + value[3];
        reason = value[4..];
        return true;
    }

    /// <summary>The raw UNKNOWN-ATTRIBUTES list: big-endian 16-bit types (RFC 8489 §14.9).</summary>
    public bool TryGetUnknownAttributes(out ReadOnlySpan<byte> types) =>
        TryGetAttribute(StunAttributeType.UnknownAttributes, out types);

    /// <summary>
    /// Finds the first comprehension-required attribute this library does not know (RFC 8489 §6.3.1:
    /// a request carrying one gets a 420 with UNKNOWN-ATTRIBUTES).
    /// </summary>
    public bool TryFindUnknownComprehensionRequired(out ushort type)
    {
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (attribute.IsComprehensionRequired && !Enum.IsDefined((StunAttributeType)attribute.Type))
            {
                type = attribute.Type;
                return true;
            }
        }

        type = 0;
        return false;
    }

    private bool TryGetUInt32(StunAttributeType type, out uint result)
    {
        bool found = TryGetAttribute(type, out ReadOnlySpan<byte> value);
        result = found ? BinaryPrimitives.ReadUInt32BigEndian(value) : 0;
        return found;
    }

    private bool TryGetUInt64(StunAttributeType type, out ulong result)
    {
        bool found = TryGetAttribute(type, out ReadOnlySpan<byte> value);
        result = found ? BinaryPrimitives.ReadUInt64BigEndian(value) : 0;
        return found;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 with <paramref name="key"/> over the message up
    /// to the attribute, with the header length rewritten to end just after it. False when absent.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[20];
        ComputeHmac(Raw[.._integrityOffset], 24, key, sha256: false, mac);
        return CryptographicOperations.FixedTimeEquals(mac, Raw.Slice(_integrityOffset + 4, 20));
    }

    /// <summary>Checks MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), truncated to the attribute's length.</summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> key)
    {
        if (_integritySha256Offset < 0)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(Raw[(_integritySha256Offset + 2)..]);
        Span<byte> mac = stackalloc byte[32];
        ComputeHmac(Raw[.._integritySha256Offset], 4 + length, key, sha256: true, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..length], Raw.Slice(_integritySha256Offset + 4, length));
    }

    /// <summary>Checks FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message before it, XOR 0x5354554E.</summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }

        uint expected = ComputeFingerprint(Raw[.._fingerprintOffset]);
        return BinaryPrimitives.ReadUInt32BigEndian(Raw[(_fingerprintOffset + 4)..]) == expected;
    }

    /// <summary>CRC over <paramref name="prefix"/> as if the header length ended after an 8-byte FINGERPRINT.</summary>
    internal static uint ComputeFingerprint(ReadOnlySpan<byte> prefix)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        prefix[..HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(prefix.Length - HeaderLength + 8));
        uint crc = Crc32.Update(Crc32.Start, header);
        crc = Crc32.Update(crc, prefix[HeaderLength..]);
        return Crc32.Finish(crc) ^ FingerprintXor;
    }

    /// <summary>
    /// HMAC over <paramref name="prefix"/> with the header length patched to cover the integrity
    /// attribute (<paramref name="attributeSize"/> bytes including its header). Scratch copy on the stack
    /// for datagram-sized messages, pooled above that.
    /// </summary>
    internal static void ComputeHmac(ReadOnlySpan<byte> prefix, int attributeSize, ReadOnlySpan<byte> key, bool sha256, Span<byte> destination)
    {
        byte[]? rented = null;
        Span<byte> scratch = prefix.Length <= 1536 ? stackalloc byte[1536] : (rented = ArrayPool<byte>.Shared.Rent(prefix.Length));
        try
        {
            scratch = scratch[..prefix.Length];
            prefix.CopyTo(scratch);
            BinaryPrimitives.WriteUInt16BigEndian(scratch[2..], (ushort)(prefix.Length - HeaderLength + attributeSize));
            if (sha256)
            {
                HMACSHA256.HashData(key, scratch, destination);
            }
            else
            {
                HMACSHA1.HashData(key, scratch, destination);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
