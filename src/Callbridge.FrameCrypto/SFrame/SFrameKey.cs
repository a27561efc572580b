using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.SFrame;

/// <summary>
/// The per-KID key state of RFC 9605 §4.4.2: sframe_key and sframe_salt derived from the base key, and the
/// AEAD instance built once from them. Not thread-safe: the owning <see cref="SFrameContext"/> serializes use.
/// </summary>
public sealed class SFrameKey : IDisposable
{
    private readonly byte[] _key;
    private readonly byte[] _salt;
    private readonly AesGcm? _gcm;
    private readonly AesCtrHmacAead? _ctrHmac;

    private SFrameKey(SFrameCipherSuiteParameters parameters, ulong keyId, byte[] key, byte[] salt)
    {
        Parameters = parameters;
        KeyId = keyId;
        _key = key;
        _salt = salt;
        if (parameters.IsCtrHmac)
        {
            _ctrHmac = new AesCtrHmacAead(key.AsSpan(0, parameters.Nka), key.AsSpan(parameters.Nka), parameters.Nt);
        }
        else
        {
            _gcm = new AesGcm(key, parameters.Nt);
        }
    }

    public SFrameCipherSuiteParameters Parameters { get; }

    public ulong KeyId { get; }

    /// <summary>sframe_key (test and diagnostics access).</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>sframe_salt (test and diagnostics access).</summary>
    internal ReadOnlySpan<byte> Salt => _salt;

    /// <summary>
    /// RFC 9605 §4.4.2:
    /// sframe_secret = HKDF-Extract("", base_key);
    /// sframe_key  = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret key "  || KID (u64) || cipher_suite (u16), Nk);
    /// sframe_salt = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret salt " || KID (u64) || cipher_suite (u16), Nn).
    /// </summary>
    public static SFrameKey Derive(SFrameCipherSuite suite, ulong keyId, ReadOnlySpan<byte> baseKey)
    {
        var p = SFrameCipherSuiteParameters.For(suite);
        Span<byte> secret = stackalloc byte[p.Nh];
        HKDF.Extract(p.Hash, baseKey, default, secret);
        var key = new byte[p.Nk];
        var salt = new byte[p.Nn];
        Span<byte> label = stackalloc byte[MaxLabelLength];
        HKDF.Expand(p.Hash, secret, key, WriteLabel(label, isSalt: false, keyId, suite));
        HKDF.Expand(p.Hash, secret, salt, WriteLabel(label, isSalt: true, keyId, suite));
        CryptographicOperations.ZeroMemory(secret);
        return new SFrameKey(p, keyId, key, salt);
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _ctrHmac?.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_salt);
    }

    /// <summary>RFC 9605 §4.4.3: the counter, left-padded to Nn bytes big-endian, XOR sframe_salt.</summary>
    internal void FormNonce(ulong counter, Span<byte> nonce)
    {
        _salt.CopyTo(nonce);
        var tail = nonce[(_salt.Length - 8)..];
        BinaryPrimitives.WriteUInt64BigEndian(tail, BinaryPrimitives.ReadUInt64BigEndian(tail) ^ counter);
    }

    /// <summary>AEAD.Encrypt with AAD = header || metadata (two spans so nothing is concatenated for CTR-HMAC).</summary>
    internal void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        if (_ctrHmac is not null)
        {
            _ctrHmac.Seal(nonce, header, metadata, plaintext, ciphertext, tag);
            return;
        }

        Span<byte> stackAad = stackalloc byte[AadStackLimit];
        byte[]? rented = null;
        var aadSpan = JoinAad(header, metadata, stackAad, ref rented);
        try
        {
            _gcm!.Encrypt(nonce, plaintext, ciphertext, tag, aadSpan);
        }
        finally
        {
            ReturnRented(rented);
        }
    }

    internal bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        if (_ctrHmac is not null)
        {
            return _ctrHmac.Open(nonce, header, metadata, ciphertext, tag, plaintext);
        }

        Span<byte> stackAad = stackalloc byte[AadStackLimit];
        byte[]? rented = null;
        var aadSpan = JoinAad(header, metadata, stackAad, ref rented);
        try
        {
            // AesGcm reports a tag mismatch only by exception; it is contained here, on the drop path.
            _gcm!.Decrypt(nonce, ciphertext, tag, plaintext, aadSpan);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            ReturnRented(rented);
        }
    }

    // Header (<= 17 bytes) plus typical metadata fits; larger metadata goes through the pool.
    private const int AadStackLimit = 256;

    internal const int MaxLabelLength = 23 + 8 + 2;

    private static ReadOnlySpan<byte> KeyLabelPrefix => "SFrame 1.0 Secret key "u8;

    private static ReadOnlySpan<byte> SaltLabelPrefix => "SFrame 1.0 Secret salt "u8;

    /// <summary>The sframe_key (or sframe_salt) HKDF-Expand label written into <paramref name="buffer"/>.</summary>
    internal static ReadOnlySpan<byte> WriteLabel(Span<byte> buffer, bool isSalt, ulong keyId, SFrameCipherSuite suite)
    {
        var prefix = isSalt ? SaltLabelPrefix : KeyLabelPrefix;
        prefix.CopyTo(buffer);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[prefix.Length..], keyId);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(prefix.Length + 8)..], (ushort)suite);
        return buffer[..(prefix.Length + 10)];
    }

    private static Span<byte> JoinAad(ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, Span<byte> stackBuffer, ref byte[]? rented)
    {
        int length = header.Length + metadata.Length;
        Span<byte> aad = length <= stackBuffer.Length
            ? stackBuffer[..length]
            : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        header.CopyTo(aad);
        metadata.CopyTo(aad[header.Length..]);
        return aad;
    }

    private static void ReturnRented(byte[]? rented)
    {
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
