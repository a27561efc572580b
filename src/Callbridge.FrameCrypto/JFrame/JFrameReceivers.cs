using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// The receiving side: one <see cref="JFrameContext"/> per remote sender (participant or SSRC), as
/// lib-jitsi-meet's worker keeps one context per participant, each seeded with the keys given so far. Every
/// sender ratchets its own key, so each context ratchets on its own (on failure, up to 8 steps, keeping the
/// ratcheted key). After a sender's first frame, <see cref="Decrypt"/> allocates nothing.
/// </summary>
/// <typeparam name="TSender">What identifies a sender: a participant id, or an SSRC.</typeparam>
public sealed class JFrameReceivers<TSender> : IDisposable
    where TSender : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TSender, JFrameContext> _senders;
    private readonly byte[]?[] _keys = new byte[]?[JFrameContext.KeyRingSize];
    private bool _disposed;

    public JFrameReceivers(IEqualityComparer<TSender>? comparer = null)
    {
        _senders = new Dictionary<TSender, JFrameContext>(comparer);
    }

    /// <summary>True once any key was given.</summary>
    public bool HasKeys
    {
        get
        {
            lock (_gate)
            {
                return Array.Exists(_keys, k => k is not null);
            }
        }
    }

    /// <summary>Senders seen so far.</summary>
    public int SenderCount
    {
        get
        {
            lock (_gate)
            {
                return _senders.Count;
            }
        }
    }

    /// <summary>
    /// Gives every sender (present and future) <paramref name="material"/> in slot <paramref name="keyIndex"/> % 16.
    /// Giving a slot the material it already holds changes nothing, so a sender's ratcheted key survives a
    /// re-read key file. Returns false when nothing changed.
    /// </summary>
    public bool SetKey(ReadOnlySpan<byte> material, int keyIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyIndex);
        int slot = keyIndex % JFrameContext.KeyRingSize;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keys[slot] is { } known && material.SequenceEqual(known))
            {
                return false;
            }

            if (_keys[slot] is { } old)
            {
                CryptographicOperations.ZeroMemory(old);
            }

            _keys[slot] = material.ToArray();
            foreach (var context in _senders.Values)
            {
                context.SetKey(material, slot);
            }

            return true;
        }
    }

    /// <summary>
    /// Decrypts one frame of <paramref name="sender"/> into <paramref name="destination"/> (frame length - 30
    /// bytes). A sender's first frame creates its context from the keys given so far.
    /// </summary>
    public JFrameDecryptResult Decrypt(TSender sender, JFrameKind kind, ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        JFrameContext context;
        lock (_gate)
        {
            if (_disposed)
            {
                return new(JFrameDropReason.UnknownKeySlot, 0, 0, 0);
            }

            if (!_senders.TryGetValue(sender, out context!))
            {
                context = new JFrameContext();
                for (int slot = 0; slot < _keys.Length; slot++)
                {
                    if (_keys[slot] is { } material)
                    {
                        context.SetKey(material, slot);
                    }
                }

                _senders.Add(sender, context);
            }
        }

        return context.Decrypt(kind, frame, destination);
    }

    /// <summary>Forgets a sender that left (its ratchet state goes with it).</summary>
    public void Remove(TSender sender)
    {
        lock (_gate)
        {
            if (_senders.Remove(sender, out var context))
            {
                context.Dispose();
            }
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
            foreach (var context in _senders.Values)
            {
                context.Dispose();
            }

            _senders.Clear();
            foreach (var key in _keys)
            {
                if (key is not null)
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }
        }
    }
}
