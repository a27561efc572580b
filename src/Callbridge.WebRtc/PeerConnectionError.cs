namespace Callbridge.WebRtc;

/// <summary>Why a description was refused or the connection failed.</summary>
public enum PeerConnectionError
{
    None = 0,
    /// <summary>The remote description does not parse (RFC 8866).</summary>
    InvalidSdp,
    /// <summary>The call is not valid in the current state (e.g. a second offer, or an answer without an offer).</summary>
    WrongState,
    /// <summary>No audio or video section could be accepted.</summary>
    NoUsableMedia,
    /// <summary>The answer builder refused the offer (<see cref="PeerConnection.AnswerError"/> has its reason).</summary>
    AnswerRefused,
    /// <summary>a=ice-ufrag / a=ice-pwd missing (RFC 8839 §5.4).</summary>
    MissingIceCredentials,
    /// <summary>No a=fingerprint this DTLS stack can verify (RFC 8122 §5).</summary>
    MissingFingerprint,
    /// <summary>a=setup gives no DTLS role (RFC 5763 §5: holdconn, or actpass in an answer).</summary>
    UnusableSetup,
    /// <summary>ICE found no working pair, or consent expired (RFC 7675).</summary>
    IceFailed,
    /// <summary>A renegotiating offer changed the ICE credentials (RFC 8839 §4.4.1.1.1 ICE restart), which is not supported.</summary>
    IceRestartUnsupported,
    /// <summary>A renegotiating offer whose o= version is not above the last one applied (RFC 3264 §8): already answered.</summary>
    StaleOffer,
    /// <summary>The DTLS handshake failed (<see cref="PeerConnection.DtlsFailure"/> has the status).</summary>
    DtlsFailed,
}
