namespace Callbridge.Conference;

/// <summary>
/// Where a subscription delivers media. Called on the media core's receive loop: implementations copy what
/// they keep and never block (hand work to a channel or a bounded queue).
/// </summary>
public interface IConferenceMediaSink
{
    /// <summary>A complete frame of a subscribed track, in RTP order per track.</summary>
    void OnFrame(in ConferenceFrame frame);

    /// <summary>A subscribed track began (first frame) or was re-offered by the SFU after a renegotiation.</summary>
    void OnTrackStarted(PublishedTrack track);

    /// <summary>A subscribed track stopped: unpublished, its participant left, or the subscription lost it.</summary>
    void OnTrackEnded(PublishedTrack track, string reason);

    /// <summary>The detector's verdict: the track carries end-to-end encrypted frames (format: "jframe" or "sframe").</summary>
    void OnTrackEncrypted(PublishedTrack track, string format);
}
