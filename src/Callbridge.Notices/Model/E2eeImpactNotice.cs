using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;

namespace Callbridge.Notices.Model;

/// <summary>The preview of what turning E2EE on would stop and who could not take part.</summary>
public sealed record E2eeImpactNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string Summary,
    IReadOnlyList<E2eeImpactNotice.StoppingGateway> WillStop,
    IReadOnlyList<E2eeImpactNotice.AffectedParticipant> Participants) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "e2ee_impact";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;

    /// <summary>True when the host turned E2EE on (the preview), false when off; null on notices that predate the field.</summary>
    public bool? HostEnabled { get; init; }

    /// <summary>What stops, one clause per kind ("the recording will stop", "2 phone callers will be disconnected").</summary>
    public IReadOnlyList<string>? Consequences { get; init; }

    public sealed record StoppingGateway(string GatewayId, string Label, string ReasonCode);

    public sealed record AffectedParticipant(string ParticipantId, string DisplayName, ClientSupport Support, string Reason);

    public static E2eeImpactNotice From(string conferenceId, E2eeImpactReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(conferenceId, at, report.Summary,
            [.. report.WillStop.Select(g => new StoppingGateway(g.Gateway.GatewayId, g.Gateway.Label, g.Decision.ReasonCode))],
            [.. report.ClientsThatCannotJoin.Concat(report.ClientsUnknown).Select(c =>
                new AffectedParticipant(c.Participant.ParticipantId, c.Participant.DisplayName, c.Assessment.Support, c.Assessment.Reason))])
        {
            HostEnabled = true,
            Consequences = report.Consequences,
        };
    }
}
