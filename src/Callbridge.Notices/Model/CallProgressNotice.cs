using Callbridge.Negotiation;

namespace Callbridge.Notices.Model;

/// <summary>A phone bridge's call moved on (dialing, ringing, answered, busy, no answer, failed, hung up).</summary>
/// <param name="Progress">The bridge's word for the step, e.g. "Ringing" (the gateways' CallProgress names).</param>
public sealed record CallProgressNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string GatewayId,
    GatewayKind Kind,
    string Progress,
    string? Detail) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "call_progress";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;
}
