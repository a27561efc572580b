namespace Callbridge.Rtp;

/// <summary>Why an RTP packet was rejected. <see cref="None"/> means the packet parsed.</summary>
public enum RtpParseError
{
    None = 0,
    /// <summary>Shorter than the 12-byte fixed header (RFC 3550 §5.1).</summary>
    TooShort,
    /// <summary>Version field is not 2.</summary>
    UnsupportedVersion,
    /// <summary>CC announces more CSRC identifiers than the packet holds.</summary>
    CsrcTruncated,
    /// <summary>X is set but the 4-byte extension header is missing (RFC 3550 §5.3.1).</summary>
    ExtensionHeaderTruncated,
    /// <summary>The extension length (in 32-bit words) runs past the end of the packet.</summary>
    ExtensionTruncated,
    /// <summary>P is set but the last octet is 0 or counts more bytes than the payload area holds.</summary>
    InvalidPadding,
}
