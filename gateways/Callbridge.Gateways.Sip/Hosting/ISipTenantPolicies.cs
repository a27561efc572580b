using Callbridge.Negotiation;

namespace Callbridge.Gateways.Sip;

/// <summary>The tenant policy the negotiator weighs for a dial-in (the host registers its own; the default is open).</summary>
public interface ISipTenantPolicies
{
    TenantPolicy PolicyFor(string tenantId);
}

internal sealed class OpenTenantPolicies : ISipTenantPolicies
{
    public TenantPolicy PolicyFor(string tenantId) => TenantPolicy.Open;
}
