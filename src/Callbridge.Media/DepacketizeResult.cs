namespace Callbridge.Media;

/// <summary>Outcome of giving one RTP packet to a depacketizer.</summary>
public enum DepacketizeResult
{
    /// <summary>The packet belongs to a frame that is not complete yet.</summary>
    Pending = 0,
    /// <summary>A whole frame is ready.</summary>
    Frame,
    /// <summary>
    /// A frame was dropped because packets of it (or of a frame it depends on) were lost; the decoder
    /// needs a key frame (send a PLI, RFC 4585 §6.3.1).
    /// </summary>
    FrameDropped,
    /// <summary>The packet was ignored: it belongs to a frame already dropped, or precedes the first key frame.</summary>
    Discarded,
    /// <summary>The payload is malformed for the codec.</summary>
    Invalid,
    /// <summary>The frame is larger than the buffer it is assembled in: dropped.</summary>
    FrameTooLarge,
}
