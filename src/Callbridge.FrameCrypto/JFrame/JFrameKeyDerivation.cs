using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// lib-jitsi-meet's key schedule (crypto-utils.ts): the label goes in the HKDF salt and info is empty.
/// </summary>
public static class JFrameKeyDerivation
{
    public const int AesKeyLength = 16;
    public const int MaterialLength = 32;

    /// <summary>aes_key = HKDF-SHA256(IKM = material, salt = "JFrameEncryptionKey", info = "", L = 16).</summary>
    public static void DeriveAesKey(ReadOnlySpan<byte> material, Span<byte> aesKey16) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, material, aesKey16[..AesKeyLength], "JFrameEncryptionKey"u8, default);

    /// <summary>next_material = HKDF-SHA256(IKM = material, salt = "JFrameRatchetKey", info = "", L = 32).</summary>
    public static void Ratchet(ReadOnlySpan<byte> material, Span<byte> nextMaterial32) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, material, nextMaterial32[..MaterialLength], "JFrameRatchetKey"u8, default);
}
