namespace Callbridge.Stun;

/// <summary>Why a datagram is not an acceptable STUN message. <see cref="None"/> means success.</summary>
public enum StunParseError
{
    None = 0,
    /// <summary>Fewer than the 20 header bytes.</summary>
    TooShort,
    /// <summary>The two most significant bits are not zero (RFC 8489 §5).</summary>
    NotStun,
    /// <summary>The magic cookie is not 0x2112A442 (RFC 8489 §5).</summary>
    BadMagicCookie,
    /// <summary>The message length is not a multiple of 4 (RFC 8489 §5).</summary>
    LengthNotMultipleOfFour,
    /// <summary>The header announces more bytes than the input holds.</summary>
    Truncated,
    /// <summary>An attribute header or value runs past the end of the message.</summary>
    AttributeTruncated,
    /// <summary>An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).</summary>
    AttributeAfterFingerprint,
    /// <summary>A known attribute has a length its definition does not allow.</summary>
    InvalidAttributeLength,
    /// <summary>An address attribute has a family other than 0x01 or 0x02 (RFC 8489 §14.1).</summary>
    InvalidAddressFamily,
    /// <summary>ERROR-CODE class is not 3..6 or the number is over 99 (RFC 8489 §14.8).</summary>
    InvalidErrorCode,
}
