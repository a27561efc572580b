using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// One key-ring entry: the material and its AES-GCM instance, plus the lazily built chain of the next
/// <see cref="JFrameContext.RatchetWindow"/> ratchet steps so that repeated failures (garbage or attack
/// frames) cost no HKDF and no allocation after the first.
/// Invariant: Chain[i], when set, holds ratchet^(i+1)(Material). Mutated under the context's lock only.
/// </summary>
internal sealed class JFrameKey : IDisposable
{
    private JFrameKey(byte[] material, AesGcm cipher)
    {
        Material = material;
        Cipher = cipher;
    }

    public byte[] Material { get; }

    public AesGcm Cipher { get; }

    public JFrameKey?[]? Chain { get; set; }

    /// <summary>Derives the AES key from <paramref name="material"/> (HKDF, normal mode).</summary>
    public static JFrameKey FromMaterial(ReadOnlySpan<byte> material)
    {
        Span<byte> aesKey = stackalloc byte[JFrameKeyDerivation.AesKeyLength];
        JFrameKeyDerivation.DeriveAesKey(material, aesKey);
        var key = new JFrameKey(material.ToArray(), new AesGcm(aesKey, JFrameContext.TagLength));
        CryptographicOperations.ZeroMemory(aesKey);
        return key;
    }

    /// <summary>Uses <paramref name="aesKey"/> directly (shared-key mode: no HKDF, no ratchet).</summary>
    public static JFrameKey FromAesKey(ReadOnlySpan<byte> aesKey) =>
        new(aesKey.ToArray(), new AesGcm(aesKey, JFrameContext.TagLength));

    /// <summary>ratchet^(steps)(Material), built and cached on first use.</summary>
    public JFrameKey GetRatcheted(int steps)
    {
        Chain ??= new JFrameKey?[JFrameContext.RatchetWindow];
        var previous = this;
        Span<byte> material = stackalloc byte[JFrameKeyDerivation.MaterialLength];
        for (int i = 0; i < steps; i++)
        {
            var next = Chain[i];
            if (next is null)
            {
                JFrameKeyDerivation.Ratchet(previous.Material, material);
                next = FromMaterial(material);
                CryptographicOperations.ZeroMemory(material);
                Chain[i] = next;
            }

            previous = next;
        }

        return previous;
    }

    /// <summary>
    /// Makes ratchet^steps the new slot key: hands it the rest of this chain, disposes this key and the
    /// skipped steps.
    /// </summary>
    public JFrameKey PromoteRatcheted(int steps)
    {
        var chain = Chain!;
        var promoted = chain[steps - 1]!;
        var rest = new JFrameKey?[JFrameContext.RatchetWindow];
        for (int i = steps; i < chain.Length; i++)
        {
            rest[i - steps] = chain[i];
        }

        promoted.Chain = rest;
        for (int i = 0; i < steps - 1; i++)
        {
            chain[i]?.DisposeSelf();
        }

        Chain = null;
        DisposeSelf();
        return promoted;
    }

    public void Dispose()
    {
        if (Chain is { } chain)
        {
            foreach (var k in chain)
            {
                k?.Dispose();
            }

            Chain = null;
        }

        DisposeSelf();
    }

    private void DisposeSelf()
    {
        Cipher.Dispose();
        CryptographicOperations.ZeroMemory(Material);
    }
}
