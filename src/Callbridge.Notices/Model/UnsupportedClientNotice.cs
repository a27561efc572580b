using Callbridge.Negotiation.Clients;

namespace Callbridge.Notices.Model;

/// <summary>A participant whose client cannot (or cannot be shown to) take part tried to join an E2EE conference.</summary>
public sealed record UnsupportedClientNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string ParticipantId,
    string DisplayName,
    ClientFamily Family,
    ClientSupport Support,
    string Reason,
    string HostMessage) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "unsupported_client";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;

    public static UnsupportedClientNotice From(string conferenceId, UnsupportedClientFinding finding, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(conferenceId, at, finding.Participant.ParticipantId, finding.Participant.DisplayName, finding.Assessment.Family,
            finding.Assessment.Support, finding.Assessment.Reason, finding.HostMessage);
    }
}
