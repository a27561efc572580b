namespace Callbridge.Conference;

/// <summary>
/// The bot's own tracks in the conference: Opus audio and, when asked for, VP8 video sent as pre-encoded
/// frames (no encoder in the media core). Disposing it unpublishes both.
/// </summary>
public interface IConferencePublication : IConferenceAudioPublication
{
    /// <summary>The SSRC the video track is sent with; null when the SFU did not accept video.</summary>
    uint? VideoSsrc { get; }

    /// <summary>
    /// Sends one VP8 frame; the next frame's RTP timestamp is this one's plus <paramref name="duration90k"/>
    /// (90 kHz clock, 3000 for 30 frames per second). False when video is not published, the media path is
    /// not up or is gone, or the send queue is full (the frame is dropped, nothing is queued).
    /// </summary>
    bool TrySendVp8(ReadOnlySpan<byte> frame, int duration90k = 3000);

    /// <summary>
    /// A receiver asked for a key frame (PLI or FIR reached the bot's video track). Raised on the media core's
    /// loop: the handler only notes it and sends a key frame soon after, from its own thread.
    /// </summary>
    event Action? KeyFrameRequested;

    /// <summary>Key frame requests received so far.</summary>
    long KeyFrameRequests { get; }

    /// <summary>VP8 frames sent so far.</summary>
    long VideoFramesSent { get; }
}

/// <summary>How the bot publishes its tracks.</summary>
/// <param name="Video">Publish a VP8 track besides the Opus one.</param>
/// <param name="Transform">Applied to every audio frame before packetization; null sends frames as they are.</param>
/// <param name="MaxTransformOverhead">Bytes the transform may add to a frame.</param>
public sealed record PublicationOptions(bool Video = true, OutgoingFrameTransform? Transform = null, int MaxTransformOverhead = 0);
