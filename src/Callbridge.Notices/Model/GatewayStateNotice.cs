using Callbridge.Negotiation;

namespace Callbridge.Notices.Model;

/// <summary>A gateway changed state (joined, left after a leave-now order, was force-stopped, ...).</summary>
public sealed record GatewayStateNotice(
    string ConferenceId,
    DateTimeOffset OccurredAt,
    string GatewayId,
    GatewayKind Kind,
    GatewayState State,
    string? ReasonCode,
    string? Detail) : HostNotice(ConferenceId, OccurredAt)
{
    public const string TypeName = "gateway_state";

    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => TypeName;

    /// <summary>On the final notice: the gateway's one-sentence account of what it did ("Recorded 3 participants for 12 min.").</summary>
    public string? Summary { get; init; }

    /// <summary>On the final notice: the blob names of what it wrote, in order written.</summary>
    public IReadOnlyList<string>? Outputs { get; init; }
}
