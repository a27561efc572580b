namespace Callbridge.Gateways.Recording.Spool;

/// <summary>
/// What a spool folder says about its recording (spool.json), rewritten atomically whenever a track file
/// is added and when the recording ends. With the track files it is everything needed to finish the
/// recording in another process.
/// </summary>
/// <param name="StartedAt">Wall-clock time of track time zero.</param>
/// <param name="BlobPrefix">Folder of the deliverables in the blob store.</param>
/// <param name="End">Null while recording (or after a crash): the recording was never sealed.</param>
internal sealed record SpoolState(
    int Version,
    string TenantId,
    string ConferenceId,
    string GatewayId,
    DateTimeOffset StartedAt,
    string BlobPrefix,
    IReadOnlyList<SpoolTrack> Tracks,
    IReadOnlyList<SpoolPresence> Presence,
    SpoolEnd? End);

/// <summary>One track file of the spool.</summary>
/// <param name="File">File name inside the spool folder.</param>
/// <param name="Kind">"audio" or "video".</param>
/// <param name="ShiftSeconds">
/// Where the file's frames belong on the recording's timeline: added to their timestamps when the recording is
/// finished (the placement gets better while recording; frames on disk are not rewritten). Absent: 0.
/// </param>
internal sealed record SpoolTrack(int Index, string TrackId, string ParticipantId, string? DisplayName, string Kind, string? Codec, string File, SpoolTrackCounters? Counters,
    double ShiftSeconds = 0);

/// <summary>What the writer counted for one track; known only when the recording was sealed by its own process.</summary>
internal sealed record SpoolTrackCounters(
    long FramesReceived,
    long FramesWritten,
    long FramesAfterLoss,
    long EncryptedFramesDropped,
    long FramesDroppedBeforeKeyFrame,
    long FramesDroppedOutOfOrder,
    long KeyFrameRequests,
    IReadOnlyList<SpoolGap> Gaps);

/// <summary>A stretch without frames inside a track, in track time.</summary>
/// <param name="Cause">"loss", "track-ended" or "no-frames" (mute, silence suppression, a stalled sender).</param>
internal sealed record SpoolGap(double FromSeconds, double ToSeconds, string Cause);

/// <summary>A participant joined or left, in track time.</summary>
/// <param name="Event">"joined" or "left".</param>
internal sealed record SpoolPresence(string ParticipantId, string? DisplayName, string Event, double AtSeconds);

/// <summary>How the recording ended.</summary>
/// <param name="Reason">"stopped", "conference-ended", "left-for-e2ee", "failed".</param>
/// <param name="ReasonCode">The negotiator's reason code when the gateway left for E2EE.</param>
/// <param name="EncryptedMedia">Tracks the detector marked encrypted before the end.</param>
internal sealed record SpoolEnd(
    DateTimeOffset EndedAt,
    DateTimeOffset MediaStoppedAt,
    string Reason,
    string? ReasonCode,
    string? Detail,
    long FramesLostInQueue,
    IReadOnlyList<SpoolEncryptedTrack> EncryptedMedia);

internal sealed record SpoolEncryptedTrack(string ParticipantId, string TrackId, string Format, DateTimeOffset At);
