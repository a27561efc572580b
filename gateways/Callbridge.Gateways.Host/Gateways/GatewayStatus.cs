namespace Callbridge.Gateways.Host.Gateways;

/// <summary>What the API reports of a running or finished gateway.</summary>
/// <param name="Kind">The API's name: recording, captions, dial-out.</param>
/// <param name="State">Starting, Running, Stopping, Stopped, LeftForE2ee or Failed.</param>
/// <param name="Since">When it entered <paramref name="State"/>.</param>
/// <param name="Detail">The gateway's own last words on its state.</param>
/// <param name="ReasonCode">The negotiator's reason code when it was ordered out (or its outcome names one).</param>
/// <param name="Reason">Why it stopped or is stopping, in plain words for the host.</param>
/// <param name="CallProgress">Phone gateways: the call's last step (Ringing, Answered, ...).</param>
/// <param name="Outcome">Set once it ended: final state, reason code, summary and outputs.</param>
internal sealed record GatewayStatus(
    string GatewayId,
    string ConferenceId,
    string Kind,
    string Label,
    string? Destination,
    string State,
    DateTimeOffset Since,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Detail,
    string? ReasonCode,
    string? Reason,
    string? CallProgress,
    GatewayStatus.FinalOutcome? Outcome)
{
    internal sealed record FinalOutcome(string FinalState, string? ReasonCode, string Summary, IReadOnlyList<string> Outputs);
}
