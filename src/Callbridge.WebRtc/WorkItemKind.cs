namespace Callbridge.WebRtc;

/// <summary>What the connection's loop is asked to do.</summary>
internal enum WorkItemKind
{
    /// <summary>An SRTP or SRTCP datagram in a pooled buffer.</summary>
    Datagram,
    /// <summary>An Opus packet to send, in a pooled buffer.</summary>
    SendOpus,
    Tick,
    /// <summary>Send a PLI for the track at <see cref="WorkItem.Value"/> (index in the track list).</summary>
    KeyFrameRequest,
    /// <summary>The ICE agent changed state to <see cref="WorkItem.Value"/>.</summary>
    IceState,
    /// <summary>The DTLS handshake finished (its result is in the connection's pending field).</summary>
    DtlsDone,
}
