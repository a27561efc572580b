namespace Callbridge.Negotiation.Audit;

public enum AuditEvent
{
    /// <summary>A decision was made (join-time or on a state change).</summary>
    Decision,
    /// <summary>A leave-now order was handed to a gateway.</summary>
    LeaveOrdered,
    /// <summary>The gateway confirmed that it stopped, finalized and recorded the reason.</summary>
    LeaveConfirmed,
    /// <summary>The gateway did not confirm before the deadline.</summary>
    LeaveDeadlineMissed,
    /// <summary>The gateway's leave handler threw.</summary>
    LeaveFailed,
    /// <summary>The coordinator force-stopped the gateway.</summary>
    ForceStopped,
}
