namespace Callbridge.FrameCrypto.Classification;

/// <summary>The track a frame came from; decides which clear codec check applies.</summary>
public enum MediaKind
{
    /// <summary>Unknown track kind: both the Opus and the VP8 checks are reported.</summary>
    Unknown,

    /// <summary>Audio track: Opus (RFC 6716).</summary>
    Audio,

    /// <summary>Video track: VP8 (RFC 6386).</summary>
    Video,
}
