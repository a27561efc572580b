namespace Callbridge.Negotiation;

public enum GatewayPhase
{
    /// <summary>The gateway asks before it joins: a negative answer is a refusal.</summary>
    AboutToJoin,
    /// <summary>The gateway is in the conference: a negative answer means it must leave now.</summary>
    Running,
}
