namespace Callbridge.Gateways;

/// <summary>Where a gateway is in its life. The last three are final.</summary>
public enum GatewayRunState
{
    /// <summary>Joining the conference and opening media.</summary>
    Starting,

    /// <summary>In the conference, taking media.</summary>
    Running,

    /// <summary>Asked to stop: leaving and finalizing its output.</summary>
    Stopping,

    /// <summary>Left normally (stopped by the API, or the conference ended); output final.</summary>
    Stopped,

    /// <summary>Left on a leave-now order because the conference became end-to-end encrypted; prior output final.</summary>
    LeftForE2ee,

    /// <summary>Could not start or could not go on; what it had accepted is kept where possible.</summary>
    Failed,
}
