namespace Callbridge.Negotiation;

public enum CapabilityOutcome
{
    Allow,
    /// <summary>The gateway must not join.</summary>
    Refuse,
    /// <summary>The running gateway must stop taking media at once, finalize what it accepted before, and leave.</summary>
    LeaveNow,
}
