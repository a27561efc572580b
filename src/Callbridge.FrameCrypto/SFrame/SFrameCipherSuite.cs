namespace Callbridge.FrameCrypto.SFrame;

/// <summary>RFC 9605 §8.1 cipher suites (IANA "SFrame Cipher Suites").</summary>
public enum SFrameCipherSuite : ushort
{
    AesCtr128HmacSha256_80 = 0x0001,
    AesCtr128HmacSha256_64 = 0x0002,
    AesCtr128HmacSha256_32 = 0x0003,
    AesGcm128Sha256_128 = 0x0004,
    AesGcm256Sha512_128 = 0x0005,
}
