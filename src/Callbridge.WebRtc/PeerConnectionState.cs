namespace Callbridge.WebRtc;

/// <summary>Lifecycle of a <see cref="PeerConnection"/> (the W3C RTCPeerConnectionState subset a bot needs).</summary>
public enum PeerConnectionState
{
    New,
    /// <summary>A description was applied; ICE and then DTLS are running.</summary>
    Connecting,
    /// <summary>DTLS finished and SRTP is keyed: media flows.</summary>
    Connected,
    /// <summary>ICE or DTLS failed; <see cref="PeerConnection.Error"/> says which.</summary>
    Failed,
    Closed,
}
