namespace Callbridge.Conference;

/// <summary>The kind of media a track carries.</summary>
public enum TrackKind
{
    Audio,
    Video,
}

/// <summary>One published track of a participant, as the SFU describes it.</summary>
/// <param name="TrackId">Stable within the conference: participant id + the publisher's mid.</param>
/// <param name="Mid">The publisher's media id (SDP a=mid) for this track.</param>
/// <param name="Codec">Lower-case codec name as signalled ("opus", "vp8"), or null when not given.</param>
public sealed record PublishedTrack(string TrackId, string ParticipantId, string Mid, TrackKind Kind, string? Codec);

/// <summary>A participant other than the bot itself.</summary>
public sealed record ConferenceParticipant(string ParticipantId, string? DisplayName, IReadOnlyList<PublishedTrack> Tracks);

/// <summary>What the SFU says about a conference before anyone joins it (no media connection).</summary>
/// <param name="RequiresE2ee">The room only admits end-to-end encrypted publishers.</param>
public sealed record ConferenceProbe(string ConferenceId, bool Exists, bool RequiresE2ee, int ParticipantCount, string? Description);

/// <summary>What the bot does in a conference.</summary>
public enum BotRole
{
    /// <summary>Receives others' media; publishes nothing (recorder, captions).</summary>
    Subscriber,

    /// <summary>Receives and also publishes an audio track (phone bridge).</summary>
    SubscriberAndPublisher,
}

public sealed record ConferenceJoinRequest(string ConferenceId, string DisplayName, BotRole Role);
