namespace Callbridge.Notices.Model;

/// <summary>The conference is gone from the SFU (destroyed or closed); its gateways have left or are leaving.</summary>
public sealed record ConferenceEndedNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string Reason) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "conference_ended";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;
}
