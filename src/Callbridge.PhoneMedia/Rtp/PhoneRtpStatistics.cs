namespace Callbridge.PhoneMedia;

/// <summary>Counters of one phone RTP session since it started.</summary>
public sealed record PhoneRtpStatistics
{
    public long PacketsSent { get; init; }

    public long PacketsReceived { get; init; }

    /// <summary>Datagrams that were not RTP, or RTP of a payload type that was not negotiated.</summary>
    public long PacketsIgnored { get; init; }

    /// <summary>Frames handed to the sink, concealed ones included.</summary>
    public long FramesPlayed { get; init; }

    /// <summary>Frames of silence standing in for missing audio.</summary>
    public long FramesConcealed { get; init; }

    /// <summary>Samples dropped to keep playout delay under the bound.</summary>
    public long SamplesDropped { get; init; }

    /// <summary>Frames the playout took out of pauses in the caller's speech to shorten the delay a burst left.</summary>
    public long QuietFramesDropped { get; init; }

    /// <summary>
    /// Sum over played frames of the decoded samples still queued after each frame was taken; divided by
    /// <see cref="FramesPlayed"/> (and 8 samples/ms) it is the mean delay the playout queue adds.
    /// </summary>
    public long PlayoutBacklogSamples { get; init; }

    /// <summary>Audio packets the jitter buffer gave up on.</summary>
    public long PacketsLost { get; init; }

    public long DigitsReceived { get; init; }

    /// <summary>Redundant telephone-event end packets dropped.</summary>
    public long DtmfDuplicates { get; init; }

    public long DigitsSent { get; init; }

    /// <summary>Times the send address moved to a new media source (symmetric RTP).</summary>
    public long Relatches { get; init; }

    /// <summary>Frames the timer fell so far behind on that they were skipped.</summary>
    public long FramesSkipped { get; init; }

    /// <summary>Timer callbacks that came one frame period or more late (their frames went out in a burst).</summary>
    public long LateTicks { get; init; }

    /// <summary>Frames for which the audio source had less than a whole frame (the rest was sent as silence).</summary>
    public long SourceShortFrames { get; init; }
}
