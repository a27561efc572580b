namespace Callbridge.Conference;

/// <summary>
/// What a subscription receives: every track of the given kinds of every participant other than the bot,
/// those present now and those published later (late joiners, re-publishes), until it is disposed.
/// </summary>
/// <param name="Audio">Receive audio tracks.</param>
/// <param name="Video">Receive video tracks.</param>
/// <param name="ParticipantId">Only this participant's tracks, when set.</param>
public sealed record SubscriptionRequest(bool Audio = true, bool Video = true, string? ParticipantId = null)
{
    public bool Includes(PublishedTrack track) =>
        (ParticipantId is null || track.ParticipantId == ParticipantId)
        && (track.Kind == TrackKind.Audio ? Audio : Video)
        && Excludes?.Invoke(track.ParticipantId) != true;

    /// <summary>
    /// Participants whose tracks are left out (null: none), asked each time the subscription follows the roster,
    /// so the answer may change as the gateway's own participants come and go. A gateway that already has a
    /// participant's media another way (the phone bridge's own callers) spares the SFU sending it back. Called on
    /// the connector's threads: it must be quick and thread-safe.
    /// </summary>
    public Func<string, bool>? Excludes { get; init; }

    /// <summary>
    /// How far apart this subscription may take dense media in batches, instead of the connector's setting (null).
    /// A consumer that does not need each frame at once (a recorder) asks for a longer one: fewer thread wakes a
    /// second for the same media; a live consumer (captions, a phone) keeps the connector's short one.
    /// </summary>
    public TimeSpan? ReceiveBatchInterval { get; init; }
}
