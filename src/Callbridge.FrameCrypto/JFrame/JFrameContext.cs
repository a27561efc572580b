using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// One participant's JFrame state, as lib-jitsi-meet's <c>Context</c> keeps it: a 16-slot key ring, the
/// current slot, and per-SSRC send counters. Frame layout:
/// <code>
/// clear prefix (N) | AES-GCM ciphertext | tag (16) | IV (12) | IV length 0x0C (1) | key slot (1)
/// </code>
/// with N = 1 (audio), 10 (video key), 3 (video delta) and AAD = the clear prefix only.
/// Encrypt and Decrypt write into caller spans and allocate nothing per frame; both are serialized on one
/// lock because audio and video of one participant share the context.
/// </summary>
public sealed class JFrameContext : IDisposable
{
    public const int KeyRingSize = 16;

    /// <summary>Ratchet steps tried after the slot's key fails (lib-jitsi-meet RATCHET_WINDOW_SIZE).</summary>
    public const int RatchetWindow = 8;

    public const int TagLength = 16;
    public const int IvLength = 12;

    /// <summary>Tag + IV + IV-length byte + key-slot byte.</summary>
    public const int Overhead = TagLength + IvLength + 2;

    /// <summary>The counter is reduced modulo 0xFFFF, not 0x10000: a lib-jitsi-meet quirk kept for byte equality.</summary>
    public const uint SendCounterModulus = 0xFFFF;

    // Frames up to this size are copied to the stack when source and destination overlap.
    private const int StackCopyLimit = 1024;

    private readonly Lock _gate = new();
    private readonly JFrameKey?[] _ring = new JFrameKey?[KeyRingSize];
    private readonly Dictionary<uint, uint> _sendCounters = [];
    private readonly Func<uint> _initialSendCounter;
    private bool _disposed;

    /// <param name="sharedKey">
    /// Shared-key (externally managed) mode: <see cref="SetKey"/> takes the AES key itself, no HKDF and no
    /// ratchet on failure.
    /// </param>
    /// <param name="initialSendCounter">
    /// First counter value for a new SSRC; lib-jitsi-meet draws it at random in 0..65534, which is the default.
    /// </param>
    public JFrameContext(bool sharedKey = false, Func<uint>? initialSendCounter = null)
    {
        IsSharedKey = sharedKey;
        _initialSendCounter = initialSendCounter ?? (() => (uint)RandomNumberGenerator.GetInt32((int)SendCounterModulus));
    }

    public bool IsSharedKey { get; }

    /// <summary>The slot the sender encrypts with, set by the last <see cref="SetKey"/>.</summary>
    public int CurrentKeyIndex { get; private set; }

    /// <summary>Clear prefix length for a frame kind (lib-jitsi-meet UNENCRYPTED_BYTES).</summary>
    public static int GetClearPrefixLength(JFrameKind kind) => kind switch
    {
        JFrameKind.VideoKey => 10,
        JFrameKind.VideoDelta => 3,
        _ => 1,
    };

    /// <summary>
    /// setKey(material, keyIndex): stores the key in slot keyIndex % 16 and makes it current. In shared-key
    /// mode <paramref name="material"/> is the 16/24/32-byte AES key.
    /// </summary>
    public void SetKey(ReadOnlySpan<byte> material, int keyIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyIndex);
        var key = IsSharedKey ? JFrameKey.FromAesKey(material) : JFrameKey.FromMaterial(material);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int slot = keyIndex % KeyRingSize;
            _ring[slot]?.Dispose();
            _ring[slot] = key;
            CurrentKeyIndex = slot;
        }
    }

    /// <summary>setKey(false, keyIndex): the slot becomes current and holds no key, so frames are dropped.</summary>
    public void DisableKey(int keyIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyIndex);
        lock (_gate)
        {
            int slot = keyIndex % KeyRingSize;
            _ring[slot]?.Dispose();
            _ring[slot] = null;
            CurrentKeyIndex = slot;
        }
    }

    /// <summary>A copy of the material (or shared AES key) in a slot, or null when the slot is empty.</summary>
    public byte[]? GetKeyMaterial(int slot)
    {
        lock (_gate)
        {
            return (uint)slot < KeyRingSize ? _ring[slot]?.Material.ToArray() : null;
        }
    }

    /// <summary>Sets the next send counter for an SSRC (the value before the modulo 0xFFFF).</summary>
    public void SetSendCounter(uint ssrc, uint sendCount)
    {
        lock (_gate)
        {
            _sendCounters[ssrc] = sendCount % SendCounterModulus;
        }
    }

    /// <summary>
    /// Encrypts one frame into <paramref name="destination"/> (frame length + 30 bytes). The destination may be
    /// the frame's own buffer. Consumes one send-counter value for <paramref name="ssrc"/>.
    /// </summary>
    public JFrameEncryptStatus Encrypt(JFrameKind kind, uint ssrc, uint rtpTimestamp, ReadOnlySpan<byte> frame, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        int prefix = GetClearPrefixLength(kind);
        if (frame.Length < prefix)
        {
            return JFrameEncryptStatus.TooShort;
        }

        int total = frame.Length + Overhead;
        if (destination.Length < total)
        {
            return JFrameEncryptStatus.DestinationTooSmall;
        }

        if (frame.Overlaps(destination, out int offset) && offset != 0)
        {
            return EncryptViaCopy(kind, ssrc, rtpTimestamp, frame, destination, out bytesWritten);
        }

        lock (_gate)
        {
            var key = _disposed ? null : _ring[CurrentKeyIndex];
            if (key is null)
            {
                return JFrameEncryptStatus.NoKey;
            }

            uint counter = NextSendCounter(ssrc);

            // Context.ts _makeIV: BE32(ssrc) || BE32(rtp timestamp) || BE32(sendCount % 0xFFFF).
            int ptLength = frame.Length - prefix;
            var iv = destination.Slice(prefix + ptLength + TagLength, IvLength);
            BinaryPrimitives.WriteUInt32BigEndian(iv, ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(iv[4..], rtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(iv[8..], counter);
            frame[..prefix].CopyTo(destination);
            key.Cipher.Encrypt(
                iv,
                frame.Slice(prefix, ptLength),
                destination.Slice(prefix, ptLength),
                destination.Slice(prefix + ptLength, TagLength),
                destination[..prefix]);
            destination[total - 2] = IvLength;
            destination[total - 1] = (byte)CurrentKeyIndex;
        }

        bytesWritten = total;
        return JFrameEncryptStatus.Success;
    }

    /// <summary>
    /// Decrypts one frame into <paramref name="destination"/> (frame length - 30 bytes), trying the slot's key
    /// and then up to 8 ratchet steps of it. On success after k steps the slot keeps ratchet^k; on failure the
    /// ring is unchanged. The destination may overlap the frame.
    /// </summary>
    public JFrameDecryptResult Decrypt(JFrameKind kind, ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        if (frame.IsEmpty)
        {
            return new(JFrameDropReason.TooShort, 0, 0, 0);
        }

        if (frame.Overlaps(destination))
        {
            return DecryptViaCopy(kind, frame, destination);
        }

        lock (_gate)
        {
            // Context.ts decodeFunction: the last byte indexes the ring directly, no modulo.
            int slot = frame[^1];
            var key = slot < KeyRingSize && !_disposed ? _ring[slot] : null;
            if (key is null)
            {
                return new(JFrameDropReason.UnknownKeySlot, 0, 0, 0);
            }

            var status = JFrameTrailer.TryParse(frame, GetClearPrefixLength(kind), out var trailer);
            if (status != JFrameDropReason.None)
            {
                return new(status, 0, 0, 0);
            }

            int prefix = trailer.ClearPrefixLength;
            int ptLength = trailer.PayloadLength;
            if (destination.Length < prefix + ptLength)
            {
                return new(JFrameDropReason.DestinationTooSmall, 0, 0, 0);
            }

            var aad = frame[..prefix];
            var ciphertext = frame.Slice(prefix, ptLength);
            var tag = frame.Slice(prefix + ptLength, TagLength);
            var iv = frame.Slice(prefix + ptLength + TagLength, IvLength);
            var plaintext = destination.Slice(prefix, ptLength);
            int maxSteps = IsSharedKey ? 0 : RatchetWindow;
            for (int step = 0; step <= maxSteps; step++)
            {
                var candidate = step == 0 ? key : key.GetRatcheted(step);
                if (TryOpen(candidate.Cipher, iv, ciphertext, tag, plaintext, aad))
                {
                    if (step > 0)
                    {
                        _ring[slot] = key.PromoteRatcheted(step);
                    }

                    aad.CopyTo(destination);
                    return new(JFrameDropReason.None, prefix + ptLength, step + 1, step);
                }
            }

            return new(JFrameDropReason.AuthenticationFailed, 0, maxSteps + 1, 0);
        }
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
            for (int i = 0; i < _ring.Length; i++)
            {
                _ring[i]?.Dispose();
                _ring[i] = null;
            }
        }
    }

    private static bool TryOpen(AesGcm cipher, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        // AesGcm reports a tag mismatch only by exception; it stays inside this method and is the
        // drop path, never the steady-state path.
        try
        {
            cipher.Decrypt(iv, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private uint NextSendCounter(uint ssrc)
    {
        if (!_sendCounters.TryGetValue(ssrc, out uint counter))
        {
            counter = _initialSendCounter() % SendCounterModulus;
        }

        _sendCounters[ssrc] = (counter + 1) % SendCounterModulus;
        return counter;
    }

    private JFrameEncryptStatus EncryptViaCopy(JFrameKind kind, uint ssrc, uint rtpTimestamp, ReadOnlySpan<byte> frame, Span<byte> destination, out int bytesWritten)
    {
        byte[]? rented = null;
        Span<byte> copy = frame.Length <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(frame.Length));
        try
        {
            copy = copy[..frame.Length];
            frame.CopyTo(copy);
            return Encrypt(kind, ssrc, rtpTimestamp, copy, destination, out bytesWritten);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private JFrameDecryptResult DecryptViaCopy(JFrameKind kind, ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        // A failed GCM open zeroes its output, which would destroy an in-place ciphertext before the ratchet
        // retries: decrypt from a copy instead.
        byte[]? rented = null;
        Span<byte> copy = frame.Length <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(frame.Length));
        try
        {
            copy = copy[..frame.Length];
            frame.CopyTo(copy);
            return Decrypt(kind, copy, destination);
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
