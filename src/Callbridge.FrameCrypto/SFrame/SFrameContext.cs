using System.Buffers;

namespace Callbridge.FrameCrypto.SFrame;

/// <summary>
/// RFC 9605 §4.4 encryption and decryption for one cipher suite: keys by KID, an SFrame ciphertext is
/// <c>header || AEAD ciphertext || tag</c> with AAD = header || metadata. Writes into caller spans and
/// allocates nothing per frame. Calls are serialized on one lock.
/// </summary>
public sealed class SFrameContext : IDisposable
{
    // Frames up to this size are copied to the stack when source and destination overlap.
    private const int StackCopyLimit = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, SFrameKey> _keys = [];
    private readonly Dictionary<ulong, ulong> _sendCounters = [];
    private bool _disposed;

    public SFrameContext(SFrameCipherSuite suite)
    {
        Parameters = SFrameCipherSuiteParameters.For(suite);
    }

    public SFrameCipherSuiteParameters Parameters { get; }

    /// <summary>Derives and installs the key for <paramref name="keyId"/> from a base key (§4.4.2).</summary>
    public void SetKey(ulong keyId, ReadOnlySpan<byte> baseKey)
    {
        var key = SFrameKey.Derive(Parameters.Suite, keyId, baseKey);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keys.Remove(keyId, out var old))
            {
                old.Dispose();
            }

            _keys[keyId] = key;
        }
    }

    public bool RemoveKey(ulong keyId)
    {
        lock (_gate)
        {
            if (!_keys.Remove(keyId, out var old))
            {
                return false;
            }

            old.Dispose();
            return true;
        }
    }

    /// <summary>Length of the SFrame ciphertext for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public int GetCiphertextLength(ulong keyId, ulong counter, int plaintextLength) =>
        new SFrameHeader(keyId, counter).GetSerializedLength() + plaintextLength + Parameters.Nt;

    /// <summary>
    /// Encrypts with the next counter for <paramref name="keyId"/> (starting at 0, +1 per frame). The counter is
    /// reserved before encrypting so that concurrent callers never share a nonce; a failed call skips a value.
    /// </summary>
    public SFrameEncryptStatus Encrypt(ulong keyId, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int bytesWritten)
    {
        ulong counter;
        lock (_gate)
        {
            _sendCounters.TryGetValue(keyId, out counter);
            _sendCounters[keyId] = counter + 1;
        }

        return Encrypt(keyId, counter, metadata, plaintext, destination, out bytesWritten);
    }

    /// <summary>
    /// RFC 9605 §4.4.3 encryption with an explicit counter. The counter must never repeat under one key.
    /// </summary>
    public SFrameEncryptStatus Encrypt(ulong keyId, ulong counter, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var header = new SFrameHeader(keyId, counter);
        int headerLength = header.GetSerializedLength();
        int total = headerLength + plaintext.Length + Parameters.Nt;
        if (destination.Length < total)
        {
            return SFrameEncryptStatus.DestinationTooSmall;
        }

        if (plaintext.Overlaps(destination) || metadata.Overlaps(destination))
        {
            return EncryptViaCopy(keyId, counter, metadata, plaintext, destination, out bytesWritten);
        }

        lock (_gate)
        {
            if (_disposed || !_keys.TryGetValue(keyId, out var key))
            {
                return SFrameEncryptStatus.UnknownKeyId;
            }

            header.WriteTo(destination);
            Span<byte> nonce = stackalloc byte[Parameters.Nn];
            key.FormNonce(counter, nonce);
            key.Seal(
                nonce,
                destination[..headerLength],
                metadata,
                plaintext,
                destination.Slice(headerLength, plaintext.Length),
                destination.Slice(headerLength + plaintext.Length, Parameters.Nt));
        }

        bytesWritten = total;
        return SFrameEncryptStatus.Success;
    }

    /// <summary>RFC 9605 §4.4.4 decryption. <paramref name="header"/> is set whenever the header parsed.</summary>
    public SFrameDropReason Decrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten, out SFrameHeader header)
    {
        bytesWritten = 0;
        if (!SFrameHeader.TryParse(ciphertext, out header, out int headerLength) || ciphertext.Length - headerLength < Parameters.Nt)
        {
            return SFrameDropReason.TooShort;
        }

        int ptLength = ciphertext.Length - headerLength - Parameters.Nt;
        if (destination.Length < ptLength)
        {
            return SFrameDropReason.DestinationTooSmall;
        }

        if (ciphertext.Overlaps(destination))
        {
            return DecryptViaCopy(ciphertext, metadata, destination, out bytesWritten, out header);
        }

        lock (_gate)
        {
            if (_disposed || !_keys.TryGetValue(header.KeyId, out var key))
            {
                return SFrameDropReason.UnknownKeyId;
            }

            Span<byte> nonce = stackalloc byte[Parameters.Nn];
            key.FormNonce(header.Counter, nonce);
            if (!key.Open(
                    nonce,
                    ciphertext[..headerLength],
                    metadata,
                    ciphertext.Slice(headerLength, ptLength),
                    ciphertext[(headerLength + ptLength)..],
                    destination[..ptLength]))
            {
                return SFrameDropReason.AuthenticationFailed;
            }
        }

        bytesWritten = ptLength;
        return SFrameDropReason.None;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var key in _keys.Values)
            {
                key.Dispose();
            }

            _keys.Clear();
        }
    }

    private SFrameEncryptStatus EncryptViaCopy(ulong keyId, ulong counter, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> plaintext, Span<byte> destination, out int bytesWritten)
    {
        int length = plaintext.Length + metadata.Length;
        byte[]? rented = null;
        Span<byte> copy = length <= StackCopyLimit ? stackalloc byte[StackCopyLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            plaintext.CopyTo(copy);
            metadata.CopyTo(copy[plaintext.Length..]);
            return Encrypt(keyId, counter, copy.Slice(plaintext.Length, metadata.Length), copy[..plaintext.Length], destination, out bytesWritten);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private SFrameDropReason DecryptViaCopy(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten, out SFrameHeader header)
    {
        byte[]? rented = null;
        Span<byte> copy = ciphertext.Length <= StackCopyLimit ? stackalloc byte[StackCopyLimit] : (rented = ArrayPool<byte>.Shared.Rent(ciphertext.Length));
        try
        {
            copy = copy[..ciphertext.Length];
            ciphertext.CopyTo(copy);
            return Decrypt(copy, metadata, destination, out bytesWritten, out header);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
