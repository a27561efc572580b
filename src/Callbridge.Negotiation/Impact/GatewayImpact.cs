namespace Callbridge.Negotiation.Impact;

/// <summary>What turning E2EE on would do to one running gateway.</summary>
public sealed record GatewayImpact(RunningGateway Gateway, CapabilityDecision Decision)
{
    public bool WillStop => Decision.Outcome != CapabilityOutcome.Allow;
}
