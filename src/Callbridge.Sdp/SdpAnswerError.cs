namespace Callbridge.Sdp;

/// <summary>Why an offer could not be answered.</summary>
public enum SdpAnswerError
{
    None = 0,
    /// <summary>No m-section at all.</summary>
    NoMedia,
    /// <summary>An m-section we would accept has no ice-ufrag/ice-pwd, at media or session level (RFC 8839 §5.4).</summary>
    MissingIceCredentials,
    /// <summary>An m-section we would accept has no fingerprint (RFC 8842 §5.2).</summary>
    MissingFingerprint,
    /// <summary>a=setup:holdconn, or an offer without a usable setup role (RFC 8842 §5.1).</summary>
    InvalidSetup,
    /// <summary>An m-section has no a=mid (RFC 8829 §5.2.1 requires one in every section).</summary>
    MissingMid,
}
