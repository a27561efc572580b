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
        && (track.Kind == TrackKind.Audio ? Audio : Video);

    /// <summary>
    /// How far apart this subscription may take dense media in batches, instead of the connector's setting (null).
    /// A consumer that does not need each frame at once (a recorder) asks for a longer one: fewer thread wakes a
    /// second for the same media; a live consumer (captions, a phone) keeps the connector's short one.
    /// </summary>
    public TimeSpan? ReceiveBatchInterval { get; init; }
}
