namespace Callbridge.Ice;

/// <summary>RFC 8445 §5.1.1; this agent gathers host candidates only and learns peer-reflexive ones.</summary>
public enum IceCandidateType
{
    Host,
    ServerReflexive,
    PeerReflexive,
    Relayed,
}
