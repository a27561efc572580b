namespace Callbridge.Negotiation.Audit;

/// <summary>One audit record: the inputs of the decision, its result, and when. Flat on purpose, so one
/// JSON line reads on its own.</summary>
public sealed record DecisionAuditEntry(
    DateTimeOffset At,
    string ConferenceId,
    string GatewayId,
    AuditEvent Event,
    GatewayKind Kind,
    bool NeedsDecodedMedia,
    GatewayPhase Phase,
    ConferenceE2eeState E2ee,
    bool TenantE2eeRequired,
    bool GroupE2eeRequired,
    IReadOnlyList<GatewayFeature> DisabledFeatures,
    CapabilityOutcome Outcome,
    string ReasonCode,
    string? Detail)
{
    public static DecisionAuditEntry For(
        DateTimeOffset at, string conferenceId, string gatewayId, AuditEvent auditEvent, GatewayRequest gateway,
        ConferenceE2eeState e2ee, TenantPolicy tenant, CapabilityDecision decision, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(decision);
        GatewayFeature[] disabled = [.. tenant.DisabledFeatures.Order()];
        return new DecisionAuditEntry(at, conferenceId, gatewayId, auditEvent, gateway.Kind, gateway.NeedsDecodedMedia,
            gateway.Phase, e2ee, tenant.E2eeRequiredForTenant, tenant.E2eeRequiredForGroup, disabled, decision.Outcome,
            decision.ReasonCode, detail);
    }
}
