namespace Callbridge.Janus;

/// <summary>The <c>janus</c> field of a message that arrives on the long poll.</summary>
public enum JanusEventKind
{
    /// <summary><c>event</c>: a plugin event (with plugindata and maybe jsep).</summary>
    PluginEvent,

    /// <summary><c>webrtcup</c>: ICE and DTLS completed on the handle.</summary>
    WebRtcUp,

    /// <summary><c>media</c>: Janus started or stopped receiving a kind of media.</summary>
    Media,

    /// <summary><c>slowlink</c>: Janus saw losses on the handle.</summary>
    SlowLink,

    /// <summary><c>hangup</c>: the PeerConnection went away.</summary>
    Hangup,

    /// <summary><c>detached</c>: the handle was detached.</summary>
    Detached,

    /// <summary><c>trickle</c>: a candidate from Janus (full-trickle mode only).</summary>
    Trickle,

    /// <summary><c>timeout</c>: the session expired.</summary>
    Timeout,

    /// <summary>Any other value, kept for logging.</summary>
    Other,
}
