namespace Callbridge.WebRtc;

/// <summary>What the connection's loop is asked to do.</summary>
internal enum WorkItemKind
{
    /// <summary>An Opus packet to send, in a pooled buffer.</summary>
    SendOpus,
    /// <summary>A VP8 frame to send, in a buffer of the shared pool (<see cref="WorkItem.Value"/>: its duration at 90 kHz).</summary>
    SendVp8,
    /// <summary>Send a PLI for <see cref="WorkItem.Track"/> (if it is still one of the connection's tracks).</summary>
    KeyFrameRequest,
    /// <summary>The ICE agent changed state to <see cref="WorkItem.Value"/>.</summary>
    IceState,
    /// <summary>A renegotiation replaced the track set: re-key SSRC routing, release retired tracks.</summary>
    TracksChanged,
    /// <summary>The DTLS handshake finished (its result is in the connection's pending field).</summary>
    DtlsDone,
}
