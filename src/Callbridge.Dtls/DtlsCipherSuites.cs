using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>
/// Cipher suites for an ECDSA certificate with ephemeral ECDH: forward secrecy, and what browsers and
/// OpenSSL offer for WebRTC. AEAD first; the CBC suites remain for older peers.
/// </summary>
internal static class DtlsCipherSuites
{
    public static int[] All =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    public static SignatureAndHashAlgorithm EcdsaSha256 { get; } = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
}
