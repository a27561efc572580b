namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// The kind of an encoded frame as WebRTC's encoded transform reports it. The kind alone decides the
/// clear prefix; lib-jitsi-meet never looks at the codec.
/// </summary>
public enum JFrameKind
{
    /// <summary>Audio frame (no <c>type</c>): 1 clear byte, the Opus TOC (RFC 6716 §3.1).</summary>
    Audio,

    /// <summary>Video key frame: 10 clear bytes, the VP8 key-frame header (RFC 6386 §9.1).</summary>
    VideoKey,

    /// <summary>Video delta frame: 3 clear bytes, the VP8 frame tag (RFC 6386 §9.1).</summary>
    VideoDelta,
}
