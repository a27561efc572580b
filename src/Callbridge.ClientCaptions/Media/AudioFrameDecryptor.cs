using System.Collections.Concurrent;
using Callbridge.ClientCaptions.Keys;
using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;

namespace Callbridge.ClientCaptions.Media;

/// <summary>
/// Turns received audio frames into Opus packets for the recognizer: JFrames are decrypted with the conference
/// keys (one key ring per remote participant, ratchet on failure), clear Opus passes as it is, and everything else
/// is refused. A frame is taken as clear only when the track's run of frames has not shown it to carry JFrames, and
/// either the frame has no JFrame trailer or the run has shown the track to be clear (an Opus packet may end in bytes
/// that look like a trailer). Ciphertext is never passed on:
/// decoding it would only feed noise to the recognizer. Allocation-free per frame after a track's first frame.
/// </summary>
public sealed class AudioFrameDecryptor : IDisposable
{
    private readonly JFrameReceivers<string> _receivers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EncryptionDetector> _tracks = new(StringComparer.Ordinal);
    private volatile bool _hasKeys;

    public bool HasKeys => _hasKeys;

    /// <summary>Adds or replaces the key of one index for every sender; false when it was already known.</summary>
    public bool SetKey(ConferenceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool changed = _receivers.SetKey(key.Material, key.Index);
        _hasKeys = true;
        return changed;
    }

    /// <summary>
    /// Decides on one frame of <paramref name="participantId"/>'s track <paramref name="trackId"/> and writes the
    /// Opus packet to <paramref name="opus"/> (at least <paramref name="frame"/>'s length). Frames of one track come
    /// from one thread at a time.
    /// </summary>
    public AudioFrameResult Process(string participantId, string trackId, ReadOnlySpan<byte> frame, Span<byte> opus)
    {
        ArgumentNullException.ThrowIfNull(participantId);
        ArgumentNullException.ThrowIfNull(trackId);
        var detector = _tracks.GetOrAdd(trackId, static _ => new EncryptionDetector(MediaKind.Audio));
        var classification = FrameClassifier.Classify(frame, MediaKind.Audio);
        var verdict = detector.Observe(classification);
        bool trailer = classification.Has(FrameEvidence.JFrameTrailer);
        var drop = JFrameDropReason.None;
        if (trailer && _hasKeys)
        {
            var result = _receivers.Decrypt(participantId, JFrameKind.Audio, frame, opus);
            if (result.Success)
            {
                return new(FrameDisposition.Decrypted, result.BytesWritten, UndecryptableReason.None, JFrameDropReason.None, result.RatchetSteps, frame[^1]);
            }

            drop = result.DropReason;
        }

        // Code-0 Opus accepts any payload, so a JFrame whose trailer bytes were damaged still "parses" as Opus: on a
        // track shown to carry JFrames nothing passes as clear until a run of clear frames turns the verdict.
        bool clear = classification.Has(FrameEvidence.ClearOpus) && verdict != FrameFormat.JFrame && (!trailer || verdict == FrameFormat.Clear);
        if (clear && opus.Length >= frame.Length)
        {
            frame.CopyTo(opus);
            return new(FrameDisposition.Clear, frame.Length, UndecryptableReason.None, JFrameDropReason.None, 0);
        }

        var reason = !trailer ? UndecryptableReason.NotJFrameOrOpus
            : !_hasKeys ? UndecryptableReason.NoKey
            : drop == JFrameDropReason.UnknownKeySlot ? UndecryptableReason.UnknownKeyIndex
            : UndecryptableReason.WrongKey;
        return new(FrameDisposition.Undecryptable, 0, reason, drop, 0);
    }

    /// <summary>Forgets a track that ended (its detector starts afresh if it comes back).</summary>
    public void EndTrack(string trackId) => _tracks.TryRemove(trackId, out _);

    public void Dispose() => _receivers.Dispose();
}
