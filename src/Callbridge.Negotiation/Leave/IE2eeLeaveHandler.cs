namespace Callbridge.Negotiation.Leave;

/// <summary>
/// Implemented by every gateway that reads media. On <see cref="LeaveNowAsync"/> the gateway must, in this
/// order: stop taking media at once (drop every frame from then on, never write ciphertext); finalize
/// what it accepted before the order; record <see cref="CapabilityDecision.ReasonCode"/> in its own
/// output (recording manifest, transcript, SIP Reason header on the BYE, with the spoken prompt played
/// first for phone callers); then return a <see cref="LeaveConfirmation"/>. It is called at most once per
/// gateway. The token is cancelled when the deadline passes; the gateway is then force-stopped.
/// </summary>
public interface IE2eeLeaveHandler
{
    Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken);
}
