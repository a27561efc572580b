namespace Callbridge.Negotiation;

/// <summary>Policy set by the tenant's administrators.</summary>
/// <param name="E2eeRequiredForTenant">Every meeting of the tenant must be end-to-end encrypted.</param>
/// <param name="E2eeRequiredForGroup">Meetings of the host's group (e.g. a department) must be end-to-end encrypted.</param>
/// <param name="DisabledFeatures">Features the tenant switched off, E2EE or not.</param>
public sealed record TenantPolicy(bool E2eeRequiredForTenant, bool E2eeRequiredForGroup, IReadOnlySet<GatewayFeature> DisabledFeatures)
{
    public static TenantPolicy Open { get; } = new(false, false, new HashSet<GatewayFeature>());

    public bool E2eeRequired => E2eeRequiredForTenant || E2eeRequiredForGroup;

    public bool IsDisabled(GatewayKind kind) => DisabledFeatures.Contains(kind.Feature());

    public static TenantPolicy Create(bool tenantRequiresE2ee = false, bool groupRequiresE2ee = false, params GatewayFeature[] disabled) =>
        new(tenantRequiresE2ee, groupRequiresE2ee, new HashSet<GatewayFeature>(disabled));
}
