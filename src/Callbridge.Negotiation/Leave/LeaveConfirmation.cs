namespace Callbridge.Negotiation.Leave;

/// <summary>What a gateway reports after it obeyed a <see cref="LeaveNowOrder"/>.</summary>
/// <param name="ReasonCode">Must equal the order's reason code: the code the gateway wrote into its output.</param>
/// <param name="MediaStoppedAt">When the gateway stopped taking media.</param>
/// <param name="FinalizedPriorOutput">What was accepted before the order is safely finalized (sealed spool, transcript, call record).</param>
/// <param name="ReasonRecordedIn">Where the reason was written: "recording manifest", "transcript", "SIP Reason header", ...</param>
public sealed record LeaveConfirmation(
    string GatewayId,
    string ReasonCode,
    DateTimeOffset MediaStoppedAt,
    bool FinalizedPriorOutput,
    string ReasonRecordedIn);
