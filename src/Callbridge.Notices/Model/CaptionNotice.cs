namespace Callbridge.Notices.Model;

/// <summary>
/// A caption from a server captions gateway. Partials (<see cref="IsFinal"/> false) are replaced by later
/// partials and by the final of the same <see cref="UtteranceId"/>; they go to the live stream only, finals
/// to the webhook too.
/// </summary>
/// <param name="StartMs">Offset of the utterance's first word from the start of captioning, in milliseconds.</param>
/// <param name="Confidence">0..1 when the engine gives one.</param>
public sealed record CaptionNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string GatewayId,
    string ParticipantId,
    string? DisplayName,
    string UtteranceId,
    string Text,
    bool IsFinal,
    long StartMs,
    long EndMs,
    double? Confidence) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "caption";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;
}
