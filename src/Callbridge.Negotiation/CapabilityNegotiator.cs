using Callbridge.Negotiation.Audit;

namespace Callbridge.Negotiation;

/// <summary>The service gateways call: decides with <see cref="CapabilityPolicy"/> and records every answer.</summary>
public sealed class CapabilityNegotiator(IDecisionAuditLog audit, TimeProvider time)
{
    public CapabilityDecision Decide(string conferenceId, string gatewayId, GatewayRequest gateway, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        CapabilityDecision decision = CapabilityPolicy.Decide(gateway, e2ee, tenant);
        audit.Append(DecisionAuditEntry.For(time.GetUtcNow(), conferenceId, gatewayId, AuditEvent.Decision, gateway, e2ee, tenant, decision));
        return decision;
    }
}
