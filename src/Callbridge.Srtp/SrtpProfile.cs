namespace Callbridge.Srtp;

/// <summary>
/// DTLS-SRTP protection profiles. The values are the two-byte identifiers of the IANA
/// "DTLS-SRTP Protection Profiles" registry (RFC 5764 §4.1.2, RFC 7714 §14.2), which libsrtp's
/// <c>srtp_profile_t</c> also uses.
/// </summary>
public enum SrtpProfile
{
    /// <summary>AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 5764 §4.1.2).</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>AES-128 counter mode, HMAC-SHA1 with a 32-bit RTP tag; SRTCP keeps 80 bits (RFC 5764 §4.1.2).</summary>
    Aes128CmHmacSha1_32 = 0x0002,

    /// <summary>AEAD AES-128-GCM with a 128-bit tag (RFC 7714 §14.2).</summary>
    AeadAes128Gcm = 0x0007,
}
