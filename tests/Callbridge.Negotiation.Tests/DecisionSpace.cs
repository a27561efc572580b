using Callbridge.Negotiation;

namespace Callbridge.Negotiation.Tests;

/// <summary>Every discrete value of every input, and their full cross product.</summary>
internal static class DecisionSpace
{
    public enum TenantE2ee { None, Tenant, Group, Both }

    public sealed record Case(
        GatewayKind Kind, bool NeedsMedia, GatewayPhase Phase, bool FeatureDisabled, TenantE2ee TenantRequires,
        bool RoomRequires, E2eeToggle Toggle, int Declared, int Observed)
    {
        public GatewayRequest Gateway => new(Kind, NeedsMedia, Phase);

        public ConferenceE2eeState E2ee => new(RoomRequires, Declared, Observed, Toggle,
            Toggle == E2eeToggle.NeverToggled ? null : new DateTimeOffset(2026, 11, 22, 9, 41, 0, TimeSpan.Zero));

        public TenantPolicy Tenant => TenantPolicy.Create(
            TenantRequires is TenantE2ee.Tenant or TenantE2ee.Both,
            TenantRequires is TenantE2ee.Group or TenantE2ee.Both,
            FeatureDisabled ? [Kind.Feature()] : []);
    }

    /// <param name="counts">The participant/track counts to use (0 and one or more positive values).</param>
    public static IEnumerable<Case> All(int[] counts)
    {
        foreach (GatewayKind kind in Enum.GetValues<GatewayKind>())
        foreach (bool needs in new[] { true, false })
        foreach (GatewayPhase phase in Enum.GetValues<GatewayPhase>())
        foreach (bool disabled in new[] { false, true })
        foreach (TenantE2ee tenant in Enum.GetValues<TenantE2ee>())
        foreach (bool room in new[] { false, true })
        foreach (E2eeToggle toggle in Enum.GetValues<E2eeToggle>())
        foreach (int declared in counts)
        foreach (int observed in counts)
        {
            yield return new Case(kind, needs, phase, disabled, tenant, room, toggle, declared, observed);
        }
    }
}
