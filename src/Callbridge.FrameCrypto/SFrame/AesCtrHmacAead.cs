using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.SFrame;

/// <summary>
/// RFC 9605 §4.5.1 AES-CTR with HMAC-SHA256: enc_key = key[..Nka], auth_key = key[Nka..];
/// ct = AES-CTR(enc_key, nonce || 0x00000000, pt);
/// tag = truncate(HMAC(auth_key, len(aad) u64 || len(ct) u64 || Nt u64 || nonce || aad || ct), Nt).
/// The keystream comes from one reusable ECB transform over counter blocks held in per-key buffers
/// (Aes.EncryptEcb builds a native cipher per call, 66 bytes each), and the HMAC from one reusable
/// IncrementalHash, so a frame allocates nothing. Not thread-safe: callers serialize.
/// </summary>
internal sealed class AesCtrHmacAead : IDisposable
{
    private const int BlockSize = 16;

    // Keystream produced per ECB call: 32 blocks covers a 512-byte slice of the frame.
    private const int ChunkBlocks = 32;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly IncrementalHash _hmac;
    private readonly int _tagLength;
    private readonly byte[] _counterBlocks = new byte[ChunkBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[ChunkBlocks * BlockSize];

    public AesCtrHmacAead(ReadOnlySpan<byte> encKey, ReadOnlySpan<byte> authKey, int tagLength)
    {
        _aes = Aes.Create();
        _aes.Key = encKey.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, authKey);
        _tagLength = tagLength;
    }

    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        ApplyKeystream(nonce, plaintext, ciphertext);
        Span<byte> full = stackalloc byte[32];
        ComputeTag(nonce, header, metadata, ciphertext[..plaintext.Length], full);
        full[.._tagLength].CopyTo(tag);
    }

    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        Span<byte> full = stackalloc byte[32];
        ComputeTag(nonce, header, metadata, ciphertext, full);
        if (tag.Length != _tagLength || !CryptographicOperations.FixedTimeEquals(full[.._tagLength], tag))
        {
            return false;
        }

        ApplyKeystream(nonce, ciphertext, plaintext);
        return true;
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_counterBlocks);
        CryptographicOperations.ZeroMemory(_keystream);
    }

    private void ComputeTag(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> header, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> ciphertext, Span<byte> fullTag)
    {
        Span<byte> lengths = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(lengths, (ulong)(header.Length + metadata.Length));
        BinaryPrimitives.WriteUInt64BigEndian(lengths[8..], (ulong)ciphertext.Length);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[16..], (ulong)_tagLength);
        _hmac.AppendData(lengths);
        _hmac.AppendData(nonce);
        _hmac.AppendData(header);
        _hmac.AppendData(metadata);
        _hmac.AppendData(ciphertext);
        _hmac.GetHashAndReset(fullTag);
    }

    /// <summary>
    /// CTR mode: counter block i = nonce (12) || BE32(i), i from 0. The output may be the input itself.
    /// </summary>
    private void ApplyKeystream(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, Span<byte> output)
    {
        uint block = 0;
        int done = 0;
        while (done < input.Length)
        {
            int chunk = Math.Min(input.Length - done, _keystream.Length);
            int blocks = (chunk + BlockSize - 1) / BlockSize;
            for (int b = 0; b < blocks; b++)
            {
                var counterBlock = _counterBlocks.AsSpan(b * BlockSize, BlockSize);
                nonce.CopyTo(counterBlock);
                BinaryPrimitives.WriteUInt32BigEndian(counterBlock[12..], block++);
            }

            _ecb.TransformBlock(_counterBlocks, 0, blocks * BlockSize, _keystream, 0);
            Xor(input.Slice(done, chunk), _keystream.AsSpan(0, chunk), output.Slice(done, chunk));
            done += chunk;
        }
    }

    private static void Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> destination)
    {
        int i = 0;
        int width = Vector<byte>.Count;
        for (; i <= a.Length - width; i += width)
        {
            (new Vector<byte>(a[i..]) ^ new Vector<byte>(b[i..])).CopyTo(destination[i..]);
        }

        for (; i < a.Length; i++)
        {
            destination[i] = (byte)(a[i] ^ b[i]);
        }
    }
}
