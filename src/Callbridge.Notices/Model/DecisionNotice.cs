using Callbridge.Negotiation;

namespace Callbridge.Notices.Model;

/// <summary>The negotiator refused a gateway or ordered it out (allow decisions are not noticed).</summary>
public sealed record DecisionNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string GatewayId,
    GatewayKind Kind,
    CapabilityOutcome Outcome,
    string ReasonCode,
    string HostMessage,
    string? SpokenPrompt,
    string? AlternativeCode,
    string? AlternativeDescription,
    bool? AlternativeProvidedByService) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "decision";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;

    public static DecisionNotice From(string conferenceId, string gatewayId, GatewayKind kind, CapabilityDecision decision, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(conferenceId, at, gatewayId, kind, decision.Outcome, decision.ReasonCode, decision.HostMessage, decision.SpokenPrompt,
            decision.Alternative?.Code, decision.Alternative?.Description, decision.Alternative?.ProvidedByService);
    }
}
