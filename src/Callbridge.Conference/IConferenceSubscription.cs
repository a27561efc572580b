namespace Callbridge.Conference;

/// <summary>The bot's receipt of other participants' media; disposing it unsubscribes.</summary>
public interface IConferenceSubscription : IAsyncDisposable
{
    /// <summary>The tracks currently flowing to the sink.</summary>
    IReadOnlyList<PublishedTrack> Tracks { get; }

    /// <summary>Asks the sender of a video track for a key frame (RTCP PLI); false when the track is not subscribed.</summary>
    bool RequestKeyFrame(string trackId);

    /// <summary>Reception figures per subscribed track.</summary>
    IReadOnlyList<SubscribedTrackStatistics> Statistics { get; }
}

/// <summary>What a receiver knows about one track: RFC 3550 loss and interarrival jitter.</summary>
public sealed record SubscribedTrackStatistics(
    string TrackId,
    long PacketsReceived,
    long PacketsLost,
    long FramesReceived,
    long KeyFramesReceived,
    long NacksSent,
    TimeSpan Jitter);
