namespace Callbridge.Dtls;

/// <summary>How a DTLS-SRTP handshake ended.</summary>
public enum DtlsHandshakeStatus
{
    /// <summary>Handshake done, a common SRTP profile chosen, keys exported.</summary>
    Connected,

    /// <summary>The peer's certificate does not hash to the fingerprint from its SDP (RFC 8122 §5); connection refused.</summary>
    FingerprintMismatch,

    /// <summary>The peer presented no certificate, which RFC 5763 §5 requires of both sides.</summary>
    MissingPeerCertificate,

    /// <summary>The peers share no SRTP protection profile, or the peer did not negotiate use_srtp (RFC 5764 §4.1.1).</summary>
    NoCommonSrtpProfile,

    /// <summary>No handshake within <see cref="DtlsSrtpOptions.HandshakeTimeout"/>.</summary>
    TimedOut,

    /// <summary>The caller cancelled or the transport was closed.</summary>
    Cancelled,

    /// <summary>The peer sent a fatal alert (see <see cref="DtlsHandshakeResult.AlertDescription"/>).</summary>
    PeerAlert,

    /// <summary>Any other protocol failure (see <see cref="DtlsHandshakeResult.Detail"/>).</summary>
    Failed,
}
