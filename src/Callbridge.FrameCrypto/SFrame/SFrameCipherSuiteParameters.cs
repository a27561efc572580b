using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.SFrame;

/// <summary>
/// RFC 9605 §4.5 parameters of a cipher suite: hash output Nh, AEAD key Nk (for CTR-HMAC, Nka bytes of AES
/// key followed by the HMAC key), nonce Nn and tag Nt.
/// </summary>
public readonly record struct SFrameCipherSuiteParameters(SFrameCipherSuite Suite, HashAlgorithmName Hash, int Nh, int Nka, int Nk, int Nn, int Nt)
{
    public bool IsCtrHmac => Nka > 0;

    public static bool IsDefined(SFrameCipherSuite suite) => suite is >= SFrameCipherSuite.AesCtr128HmacSha256_80 and <= SFrameCipherSuite.AesGcm256Sha512_128;

    public static SFrameCipherSuiteParameters For(SFrameCipherSuite suite) => suite switch
    {
        SFrameCipherSuite.AesCtr128HmacSha256_80 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 10),
        SFrameCipherSuite.AesCtr128HmacSha256_64 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 8),
        SFrameCipherSuite.AesCtr128HmacSha256_32 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 4),
        SFrameCipherSuite.AesGcm128Sha256_128 => new(suite, HashAlgorithmName.SHA256, 32, 0, 16, 12, 16),
        SFrameCipherSuite.AesGcm256Sha512_128 => new(suite, HashAlgorithmName.SHA512, 64, 0, 32, 12, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "Not an RFC 9605 cipher suite."),
    };
}
