namespace Callbridge.Negotiation.Leave;

public enum LeaveStatus
{
    /// <summary>The gateway confirmed in time, with the order's reason code.</summary>
    Confirmed,
    /// <summary>No confirmation before the deadline: force-stopped.</summary>
    DeadlineMissed,
    /// <summary>The handler threw, or confirmed something else than what was ordered: force-stopped.</summary>
    Failed,
}
