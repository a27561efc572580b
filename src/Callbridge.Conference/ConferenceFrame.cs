namespace Callbridge.Conference;

/// <summary>
/// One whole encoded frame of a subscribed track: an Opus packet, or a VP8 frame without its RTP payload
/// descriptors. <see cref="Data"/> is the media core's reassembly buffer, valid only during the sink call.
/// </summary>
public readonly ref struct ConferenceFrame
{
    public required PublishedTrack Track { get; init; }

    /// <summary>The SSRC the frame arrived on (JFrame's IV and SFrame's context are keyed by it).</summary>
    public required uint Ssrc { get; init; }

    /// <summary>RTP timestamp shared by the frame's packets, in <see cref="ClockRate"/> units.</summary>
    public required uint RtpTimestamp { get; init; }

    public required int ClockRate { get; init; }

    public required bool IsKeyFrame { get; init; }

    /// <summary>Packets were lost right before this frame (a decoder may conceal; a writer records a gap).</summary>
    public required bool AfterLoss { get; init; }

    /// <summary>
    /// The media core's frame classifier saw E2EE ciphertext here (a JFrame trailer, an SFrame header, or a
    /// payload that does not parse as the signalled codec). A gateway that needs decoded media drops such a
    /// frame even before the track verdict in <see cref="IConferenceMediaSink.OnTrackEncrypted"/> arrives.
    /// </summary>
    public required bool LooksEncrypted { get; init; }

    /// <summary>The sender's wall clock for <see cref="RtpTimestamp"/> from its RTCP sender reports, once one arrived.</summary>
    public DateTimeOffset? SenderTime { get; init; }

    /// <summary>When the frame was complete, as a <see cref="TimeProvider"/> timestamp of the session's clock.</summary>
    public required long ReceivedTimestamp { get; init; }

    public required ReadOnlySpan<byte> Data { get; init; }
}
