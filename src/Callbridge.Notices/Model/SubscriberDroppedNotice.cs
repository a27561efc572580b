namespace Callbridge.Notices.Model;

/// <summary>
/// Sent as the last event to a subscriber that fell too far behind, before its stream is closed. It
/// carries no SSE id, so a reconnect with Last-Event-ID resumes right after
/// <see cref="LastDeliveredId"/> (from the replay buffer, if it still holds those notices).
/// </summary>
public sealed record SubscriberDroppedNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    long SubscriberId,
    long LastDeliveredId,
    string Reason) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "subscriber_dropped";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;
}
