namespace Callbridge.Media;

/// <summary>Why a VP8 RTP payload was rejected.</summary>
public enum Vp8ParseError
{
    None = 0,
    /// <summary>No payload descriptor byte at all.</summary>
    Empty,
    /// <summary>The descriptor's extension fields run past the payload.</summary>
    DescriptorTruncated,
    /// <summary>The descriptor is followed by no VP8 data.</summary>
    NoVp8Data,
    /// <summary>A partition start carries fewer than the 3 bytes of the VP8 payload header (RFC 7741 §4.3).</summary>
    PayloadHeaderTruncated,
}
