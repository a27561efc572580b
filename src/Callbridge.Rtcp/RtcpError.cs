namespace Callbridge.Rtcp;

/// <summary>Why an RTCP packet was rejected. <see cref="None"/> means it parsed.</summary>
public enum RtcpError
{
    None = 0,
    /// <summary>Fewer than the 4 bytes of the common header (RFC 3550 §6.4.1).</summary>
    TooShort,
    /// <summary>Version is not 2.</summary>
    UnsupportedVersion,
    /// <summary>The length field runs past the end of the buffer.</summary>
    Truncated,
    /// <summary>The packet type is not the one this parser reads.</summary>
    WrongPacketType,
    /// <summary>The feedback message type (FMT) is not the one this parser reads.</summary>
    WrongFormat,
    /// <summary>P is set but the padding count is 0, not a multiple of 4 in sum, or larger than the body.</summary>
    InvalidPadding,
    /// <summary>The body is shorter than its counts or fixed fields require.</summary>
    BodyTooShort,
    /// <summary>An SDES chunk or item runs past its packet, or lacks its terminating null.</summary>
    InvalidSdes,
    /// <summary>A BYE reason runs past the packet.</summary>
    InvalidReason,
    /// <summary>An application-layer feedback message is not REMB ("REMB" identifier missing, or SSRC list truncated).</summary>
    NotRemb,
}
