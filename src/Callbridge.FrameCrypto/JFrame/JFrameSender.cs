using System.Security.Cryptography;

namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// The sending side of one E2EE participant: its own <see cref="JFrameContext"/> (16-slot ring, current key
/// index, per-SSRC send counters) behind the media core's outgoing-frame transform signature, so that
/// <c>new AudioPublicationOptions(sender.Transform, JFrameSender.MaxOverhead)</c> makes a C# publisher an E2EE
/// participant. Key management follows lib-jitsi-meet's ManagedKeyHandler: <see cref="SetKey"/> is a rotation
/// (a new index becomes current), <see cref="RatchetCurrentKey"/> is the ratchet on a participant joining
/// (same index, receivers catch up through ratchet-on-failure).
/// </summary>
public sealed class JFrameSender : IDisposable
{
    /// <summary>Bytes the transform adds to every frame: tag, IV, IV length, key slot.</summary>
    public const int MaxOverhead = JFrameContext.Overhead;

    private readonly JFrameContext _context;
    private readonly JFrameKind _kind;
    private long _encrypted;
    private long _dropped;

    /// <param name="kind">The frames' kind; publications through this transform carry audio (1 clear byte).</param>
    /// <param name="initialSendCounter">First counter value per SSRC; random in 0..65534 by default, as lib-jitsi-meet.</param>
    public JFrameSender(JFrameKind kind = JFrameKind.Audio, Func<uint>? initialSendCounter = null)
    {
        _kind = kind;
        _context = new JFrameContext(sharedKey: false, initialSendCounter);
    }

    /// <summary>The ring slot frames are encrypted with (key index % 16).</summary>
    public int CurrentKeyIndex => _context.CurrentKeyIndex;

    /// <summary>Frames encrypted so far.</summary>
    public long FramesEncrypted => Interlocked.Read(ref _encrypted);

    /// <summary>Frames dropped: no key yet, too short, or an output buffer too small.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Installs <paramref name="material"/> at <paramref name="keyIndex"/> % 16 and encrypts with it from the next frame.</summary>
    public void SetKey(ReadOnlySpan<byte> material, int keyIndex) => _context.SetKey(material, keyIndex);

    /// <summary>
    /// Replaces the current key with ratchet(material) under the same index, as lib-jitsi-meet does when a
    /// participant joins: receivers holding the previous key find the new one by ratcheting.
    /// </summary>
    /// <returns>False when the current slot holds no key.</returns>
    public bool RatchetCurrentKey()
    {
        int slot = _context.CurrentKeyIndex;
        byte[]? material = _context.GetKeyMaterial(slot);
        if (material is null)
        {
            return false;
        }

        Span<byte> next = stackalloc byte[JFrameKeyDerivation.MaterialLength];
        try
        {
            JFrameKeyDerivation.Ratchet(material, next);
            _context.SetKey(next, slot);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>
    /// Encrypts one encoded frame into <paramref name="output"/> (at least frame length + <see cref="MaxOverhead"/>).
    /// Returns the bytes written, or -1 to drop the frame (no key: lib-jitsi-meet sends nothing rather than clear media).
    /// Matches the media core's <c>OutgoingFrameTransform</c> delegate; allocates nothing.
    /// </summary>
    public int Transform(ReadOnlySpan<byte> frame, uint ssrc, uint rtpTimestamp, Span<byte> output)
    {
        var status = _context.Encrypt(_kind, ssrc, rtpTimestamp, frame, output, out int written);
        if (status != JFrameEncryptStatus.Success)
        {
            Interlocked.Increment(ref _dropped);
            return -1;
        }

        Interlocked.Increment(ref _encrypted);
        return written;
    }

    public void Dispose() => _context.Dispose();
}
