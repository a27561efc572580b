namespace Callbridge.PhoneMedia;

/// <summary>Counters of one phone-to-conference audio path.</summary>
public sealed record PhoneConferenceAudioStatistics
{
    /// <summary>Opus packets of the caller handed to the publication (accepted or not).</summary>
    public long OpusPacketsEncoded { get; init; }

    /// <summary>Packets the publication refused (media path not up) or that had no publication yet.</summary>
    public long OpusPacketsDropped { get; init; }

    public long ConferenceFramesDecoded { get; init; }

    /// <summary>Frames not decoded: video, E2EE ciphertext, undecodable, or no free track slot.</summary>
    public long ConferenceFramesIgnored { get; init; }

    /// <summary>Decoded samples (8 kHz) dropped because a track queued more than the bound.</summary>
    public long ConferenceSamplesDropped { get; init; }

    /// <summary>
    /// Decoded samples (8 kHz) taken out of a standing backlog: audio a track's burst left queued through a whole
    /// second, taken from its pauses (or a frame a second from speech without one) so that it is not heard late
    /// for the rest of the call.
    /// </summary>
    public long ConferenceBacklogSamplesDropped { get; init; }

    public long MixedFrames { get; init; }

    /// <summary>
    /// Sum, over every frame a track or a local caller's ring gave this call's mix, of the samples (8 kHz) it still
    /// had queued for the call: divided by <see cref="MixQueueFrames"/> (and 8 samples/ms), the mean delay the
    /// mix's queues add to what the caller hears.
    /// </summary>
    public long MixQueueSamples { get; init; }

    /// <summary>Frames tracks and local callers' rings gave this call's mix.</summary>
    public long MixQueueFrames { get; init; }

    /// <summary>
    /// Mixes in which a conference track (from the SFU) that had been delivering audio had no whole frame queued: a
    /// 20 ms gap in it, from the network's or the sender's timing.
    /// </summary>
    public long TrackUnderruns { get; init; }

    /// <summary>
    /// Mixes in which another caller of this bridge in the room, whose audio had been arriving, had no whole frame
    /// in its ring: a 20 ms gap from this process's own clock (a pass that fell behind).
    /// </summary>
    public long CallerUnderruns { get; init; }

    public int ActiveTracks { get; init; }
}
