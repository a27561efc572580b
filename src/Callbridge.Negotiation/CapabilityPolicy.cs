namespace Callbridge.Negotiation;

/// <summary>
/// The pure decision: no I/O, no clock, no state. Same inputs, same answer, so it can be tabulated
/// exhaustively (docs/decision-table.md is generated from it and checked by a test).
/// </summary>
public static class CapabilityPolicy
{
    public static CapabilityDecision Decide(GatewayRequest gateway, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        ArgumentNullException.ThrowIfNull(e2ee);
        ArgumentNullException.ThrowIfNull(tenant);
        string reason = DecideReason(gateway, e2ee, tenant);
        CapabilityOutcome outcome = reason == ReasonCodes.Ok
            ? CapabilityOutcome.Allow
            : gateway.Phase == GatewayPhase.Running ? CapabilityOutcome.LeaveNow : CapabilityOutcome.Refuse;
        return DecisionTexts.Compose(gateway, outcome, reason, e2ee, tenant);
    }

    /// <summary>The reason code alone, in the precedence documented on <see cref="ReasonCodes"/>.</summary>
    public static string DecideReason(GatewayRequest gateway, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        ArgumentNullException.ThrowIfNull(e2ee);
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.IsDisabled(gateway.Kind))
        {
            return ReasonCodes.TenantFeatureDisabled;
        }

        // E2EE hides media, not presence: a gateway that never decodes media is not affected by it.
        if (!gateway.NeedsDecodedMedia)
        {
            return ReasonCodes.Ok;
        }

        if (tenant.E2eeRequired)
        {
            return ReasonCodes.TenantE2eeRequired;
        }

        if (e2ee.RoomRequiresE2ee)
        {
            return ReasonCodes.RoomPolicy;
        }

        if (e2ee.Toggle == E2eeToggle.TurnedOn)
        {
            return gateway.Phase == GatewayPhase.Running ? ReasonCodes.EnabledMidCall : ReasonCodes.EnabledByHost;
        }

        // A host "off" does not cancel the evidence below: a client may still declare or send
        // encrypted frames, and a gateway must never take ciphertext as media.
        if (e2ee.DeclaredE2eeParticipants > 0)
        {
            return ReasonCodes.ParticipantDeclared;
        }

        if (e2ee.EncryptedTracksObserved > 0)
        {
            return ReasonCodes.FramesObserved;
        }

        return ReasonCodes.Ok;
    }
}
