namespace Callbridge.Matroska;

/// <summary>The codecs a recorded track may carry, stored exactly as received (no transcoding).</summary>
public enum WebmCodec
{
    /// <summary>VP8 frames (RFC 6386), as reassembled from RTP.</summary>
    Vp8,

    /// <summary>Opus packets (RFC 6716), one per RTP packet.</summary>
    Opus,
}

/// <summary>What a WebM file's single track holds.</summary>
/// <param name="Width">Video only: from the first key frame's header.</param>
/// <param name="Channels">Audio only: WebRTC signals Opus as 2 channels (RFC 7587 §7).</param>
public sealed record WebmTrack(WebmCodec Codec, string Name, int Width = 0, int Height = 0, int Channels = 2)
{
    public bool IsVideo => Codec == WebmCodec.Vp8;
}

/// <summary>Outcome of handing one frame to the writer.</summary>
public enum FrameWriteResult
{
    Written,

    /// <summary>The frame is older than one already written; a WebM track's blocks must not go back in time.</summary>
    DroppedOutOfOrder,

    /// <summary>An empty frame carries nothing to store.</summary>
    DroppedEmpty,
}
