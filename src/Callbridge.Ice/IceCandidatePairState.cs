namespace Callbridge.Ice;

/// <summary>RFC 8445 §6.1.2.6.</summary>
public enum IceCandidatePairState
{
    Frozen,
    Waiting,
    InProgress,
    Succeeded,
    Failed,
}
