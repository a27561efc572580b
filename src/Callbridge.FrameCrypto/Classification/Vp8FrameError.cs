namespace Callbridge.FrameCrypto.Classification;

/// <summary>Why a payload is not a plausible VP8 frame (RFC 6386 §9.1).</summary>
public enum Vp8FrameError
{
    None,

    /// <summary>Shorter than the 3-byte frame tag, or than the 10-byte key-frame header.</summary>
    TooShort,

    /// <summary>Version field above 3 (§9.1: only 0..3 are defined).</summary>
    BadVersion,

    /// <summary>Key frame without the start code 9d 01 2a.</summary>
    BadStartCode,

    /// <summary>Key frame with a zero width or height.</summary>
    ZeroDimension,

    /// <summary>first_part_size is zero or overruns the frame.</summary>
    BadPartitionSize,
}
