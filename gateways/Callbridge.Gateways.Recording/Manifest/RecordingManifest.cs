using Callbridge.Negotiation.Audit;

namespace Callbridge.Gateways.Recording.Manifest;

/// <summary>
/// manifest.json, uploaded last: its presence in the store means every file it names is there. Times are
/// seconds from <see cref="StartedAt"/> (track time zero), the same clock every file uses.
/// </summary>
/// <param name="EndReason">"stopped", "conference-ended", "left-for-e2ee", "failed" or "recovered-after-crash".</param>
/// <param name="ReasonCode">The negotiator's reason code when the recording stopped for E2EE, else null.</param>
/// <param name="Recovered">Finished by a later process after the recording one died; counters are then unknown.</param>
/// <param name="Decisions">The negotiator's decisions for this conference, from its audit log, oldest first.</param>
/// <param name="Problems">Deliverables that could not be made, in plain words (the track files are still there).</param>
public sealed record RecordingManifest(
    string Schema,
    string TenantId,
    string ConferenceId,
    string GatewayId,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    double DurationSeconds,
    string EndReason,
    string? ReasonCode,
    string? ReasonDescription,
    DateTimeOffset? MediaStoppedAt,
    bool Recovered,
    string Storage,
    IReadOnlyList<ManifestParticipant> Participants,
    IReadOnlyList<ManifestTrack> Tracks,
    string? Composite,
    IReadOnlyList<ManifestEncryptedTrack> EncryptedMedia,
    long? FramesLostInQueue,
    IReadOnlyList<DecisionAuditEntry> Decisions,
    IReadOnlyList<string> Problems)
{
    public const string CurrentSchema = "callbridge.recording/1";
}

/// <summary>One participant: its file (all its tracks, time zero at <see cref="OffsetSeconds"/>) and presence.</summary>
public sealed record ManifestParticipant(
    string ParticipantId,
    string? DisplayName,
    string? File,
    double? OffsetSeconds,
    double? EndSeconds,
    IReadOnlyList<ManifestPresence> Presence);

public sealed record ManifestPresence(string Event, double AtSeconds);

/// <summary>One received track as spooled (no transcoding) and uploaded.</summary>
/// <param name="Counters">Null after a crash recovery.</param>
public sealed record ManifestTrack(
    string TrackId,
    string ParticipantId,
    string Kind,
    string? Codec,
    string File,
    double? StartSeconds,
    double? EndSeconds,
    long Frames,
    long KeyFrames,
    ManifestTrackCounters? Counters);

public sealed record ManifestTrackCounters(
    long FramesReceived,
    long FramesAfterLoss,
    long EncryptedFramesDropped,
    long FramesDroppedBeforeKeyFrame,
    long FramesDroppedOutOfOrder,
    long KeyFrameRequests,
    IReadOnlyList<ManifestGap> Gaps);

public sealed record ManifestGap(double FromSeconds, double ToSeconds, string Cause);

public sealed record ManifestEncryptedTrack(string ParticipantId, string TrackId, string Format, DateTimeOffset At);
