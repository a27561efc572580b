namespace Callbridge.FrameCrypto.Classification;

/// <summary>A frame's format, as a single-frame guess or as a track verdict.</summary>
public enum FrameFormat
{
    /// <summary>Not enough evidence either way.</summary>
    Unknown,

    Clear,

    JFrame,

    SFrame,
}
