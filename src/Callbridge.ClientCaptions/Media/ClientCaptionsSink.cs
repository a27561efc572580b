using System.Buffers;
using System.Collections.Concurrent;
using Callbridge.Captions;
using Callbridge.Conference;

namespace Callbridge.ClientCaptions.Media;

/// <summary>
/// Receives the conference's audio, decrypts it (<see cref="AudioFrameDecryptor"/>) and pushes the Opus packets
/// into the captions pipeline. A speaker whose frames stay undecryptable for <see cref="UndecryptableRun"/> frames
/// in a row is reported once (<see cref="IClientCaptionsOutput.CannotDecrypt"/>); none of its frames reach the
/// recognizer, so it gets no captions.
/// </summary>
public sealed class ClientCaptionsSink : IConferenceMediaSink
{
    /// <summary>
    /// 50 frames (1 s of 20 ms Opus): longer than a key rotation takes to reach the key file and be re-read (0.5 s
    /// poll), so a rotation does not raise a false alarm, and short enough to say it before the first sentence ends.
    /// </summary>
    public const int UndecryptableRun = 50;

    // Opus packets are at most 1275 bytes per frame (RFC 6716 §3.2.1) plus JFrame's 30; larger frames rent.
    private const int StackLimit = 1536;

    private readonly AudioFrameDecryptor _decryptor;
    private readonly CaptionPipeline _pipeline;
    private readonly IClientCaptionsOutput _output;
    private readonly ConcurrentDictionary<string, string?> _names;
    private readonly ConcurrentDictionary<string, SpeakerCounters> _speakers = new(StringComparer.Ordinal);

    /// <param name="names">Display names by participant id, kept current by the session from the conference's roster.</param>
    public ClientCaptionsSink(AudioFrameDecryptor decryptor, CaptionPipeline pipeline, IClientCaptionsOutput output, ConcurrentDictionary<string, string?> names)
    {
        _decryptor = decryptor ?? throw new ArgumentNullException(nameof(decryptor));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _names = names ?? throw new ArgumentNullException(nameof(names));
    }

    /// <summary>Per-speaker frame counts so far.</summary>
    public IReadOnlyDictionary<string, SpeakerFrameStatistics> Statistics =>
        _speakers.ToDictionary(p => p.Key, p => p.Value.Snapshot(), StringComparer.Ordinal);

    public void OnFrame(in ConferenceFrame frame)
    {
        if (frame.Track.Kind != TrackKind.Audio)
        {
            return;
        }

        string participant = frame.Track.ParticipantId;
        var counters = _speakers.GetOrAdd(participant, static _ => new SpeakerCounters());
        byte[]? rented = null;
        Span<byte> buffer = frame.Data.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(frame.Data.Length));
        try
        {
            var result = _decryptor.Process(participant, frame.Track.TrackId, frame.Data, buffer);
            if (result.Disposition == FrameDisposition.Undecryptable)
            {
                if (counters.Undecryptable(result.Reason))
                {
                    _names.TryGetValue(participant, out string? shownName);
                    _output.CannotDecrypt(participant, shownName, Explain(result.Reason));
                }

                return;
            }

            counters.Delivered(result);
            _names.TryGetValue(participant, out string? name);
            _pipeline.PushOpus(participant, name, frame.RtpTimestamp, buffer[..result.BytesWritten]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void OnTrackStarted(PublishedTrack track)
    {
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.Kind != TrackKind.Audio)
        {
            return;
        }

        _decryptor.EndTrack(track.TrackId);
        // The utterance in progress gets its final; the media thread does not wait for it.
        _ = _pipeline.EndSpeakerAsync(track.ParticipantId);
    }

    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        // The decryptor keeps its own per-track verdict; the media core's verdict adds nothing here.
    }

    private static string Explain(UndecryptableReason reason) => reason switch
    {
        UndecryptableReason.NoKey => "it is end-to-end encrypted and no conference key was given.",
        UndecryptableReason.WrongKey => "the conference key given does not open it (a wrong or outdated key).",
        UndecryptableReason.UnknownKeyIndex => "it uses a key index for which no key was given (the key was rotated; add the new key).",
        _ => "it is neither lib-jitsi-meet E2EE (JFrame) nor clear Opus.",
    };

    private sealed class SpeakerCounters
    {
        private long _decrypted;
        private long _clear;
        private long _undecryptable;
        private long _ratcheted;
        private int _lastSlot = -1;
        private int _run;
        private int _reported;
        private UndecryptableReason _lastReason;

        public void Delivered(in AudioFrameResult result)
        {
            Interlocked.Increment(ref result.Disposition == FrameDisposition.Decrypted ? ref _decrypted : ref _clear);
            if (result.RatchetSteps > 0)
            {
                Interlocked.Increment(ref _ratcheted);
            }

            if (result.KeySlot >= 0)
            {
                Volatile.Write(ref _lastSlot, result.KeySlot);
            }

            Volatile.Write(ref _run, 0);
        }

        /// <summary>Counts one; true exactly once per speaker, when the run first reaches the threshold.</summary>
        public bool Undecryptable(UndecryptableReason reason)
        {
            Interlocked.Increment(ref _undecryptable);
            _lastReason = reason;
            return Interlocked.Increment(ref _run) >= UndecryptableRun && Interlocked.Exchange(ref _reported, 1) == 0;
        }

        public SpeakerFrameStatistics Snapshot() =>
            new(Interlocked.Read(ref _decrypted), Interlocked.Read(ref _clear), Interlocked.Read(ref _undecryptable), Volatile.Read(ref _reported) == 1, _lastReason,
                Interlocked.Read(ref _ratcheted), Volatile.Read(ref _lastSlot));
    }
}
