namespace Callbridge.Notices.Model;

/// <summary>
/// A gateway's state as the host is told. <see cref="Left"/>, <see cref="ForceStopped"/> and <see cref="Failed"/> after a
/// leave-now order confirm how the order ended; the final notice of every gateway carries <see cref="Stopped"/>,
/// <see cref="LeftForE2ee"/> or <see cref="Failed"/> with its outcome.
/// </summary>
public enum GatewayState
{
    Joining,
    Running,
    Leaving,
    Left,
    ForceStopped,
    Failed,

    /// <summary>Final: left normally (stopped through the API, the host shut down, or the conference ended); output final.</summary>
    Stopped,

    /// <summary>Final: left on a leave-now order because the conference became end-to-end encrypted; prior output final.</summary>
    LeftForE2ee,
}
