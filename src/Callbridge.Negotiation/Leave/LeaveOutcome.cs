namespace Callbridge.Negotiation.Leave;

/// <summary>How one leave-now order ended.</summary>
/// <param name="ForceStopError">Set when the force-stop callback itself failed.</param>
public sealed record LeaveOutcome(
    LeaveNowOrder Order,
    LeaveStatus Status,
    LeaveConfirmation? Confirmation,
    string? Error,
    bool ForceStopped,
    string? ForceStopError,
    DateTimeOffset CompletedAt);
