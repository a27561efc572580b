namespace Callbridge.FrameCrypto.Classification;

/// <summary>What one frame shows. Several flags can hold at once: that ambiguity is reported, not hidden.</summary>
[Flags]
public enum FrameEvidence
{
    None = 0,

    /// <summary>Ends in a JFrame trailer: IV-length byte 12, key slot below 16, room for prefix + tag + IV.</summary>
    JFrameTrailer = 1 << 0,

    /// <summary>IV bytes 8..9 are zero, as lib-jitsi-meet's sendCount % 0xFFFF always leaves them.</summary>
    JFrameCounterHighBytesZero = 1 << 1,

    /// <summary>An RFC 9605 header parses and leaves room for at least the shortest tag (4 bytes).</summary>
    SFrameHeader = 1 << 2,

    /// <summary>Well-formed Opus packet (RFC 6716 §3.1-3.4). Any TOC value is valid, so this is weak alone.</summary>
    ClearOpus = 1 << 3,

    /// <summary>Well-formed VP8 frame header (RFC 6386 §9.1).</summary>
    ClearVp8 = 1 << 4,

    /// <summary>VP8 key frame with the 9d 01 2a start code (kept in clear by JFrame's 10-byte prefix too).</summary>
    Vp8KeyFrameStartCode = 1 << 5,
}
