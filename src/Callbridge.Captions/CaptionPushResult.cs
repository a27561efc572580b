namespace Callbridge.Captions;

/// <summary>What became of one pushed frame. Everything but <see cref="Accepted"/> means it was dropped.</summary>
public enum CaptionPushResult
{
    Accepted,

    /// <summary>The pipeline is stopping or stopped.</summary>
    Stopped,

    /// <summary>No recognizer stream is free for this speaker (see <see cref="CaptionNoticeKind.SpeakerRefused"/>).</summary>
    SpeakerRefused,

    /// <summary>The speaker's audio queue is full: the recognizer is behind.</summary>
    QueueFull,

    /// <summary>The frame is not a decodable Opus packet.</summary>
    DecodeFailed,

    /// <summary>The frame's RTP timestamp is at or before one already taken (duplicate or reordered).</summary>
    Late,
}
