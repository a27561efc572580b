using Callbridge.Audio.Mixing;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia;

/// <summary>
/// Audio between a phone call and the conference. Caller to conference: 8 kHz frames from the RTP session
/// are resampled to 48 kHz (speexdsp), Opus-encoded (20 ms) and sent through <see cref="Publication"/>.
/// Conference to caller: every subscribed audio track is Opus-decoded into its own queue; each 20 ms the
/// N-1 mixer sums the tracks with the caller in slot 0, the caller's mix (everyone but the caller) is
/// resampled to 8 kHz and handed to the session. Nothing is allocated per frame.
/// </summary>
/// <remarks>
/// Threads: <see cref="OnFrame"/> and the track events come from the media core's receive loop;
/// <see cref="OnPhoneAudio"/> and <see cref="Read"/> from the RTP session's timer, in that order each frame.
/// <c>_gate</c> guards the track table and queues. Invariant: slot i &gt; 0 of the mixer belongs to
/// <c>_tracks[i - 1]</c> when that track is in use; slot 0 is always the caller.
/// </remarks>
public sealed class PhoneConferenceAudio : IPhoneAudioSource, IPhoneAudioSink, IConferenceMediaSink, IDisposable
{
    /// <summary>The mixer slot of the caller: its own voice is what <see cref="Read"/> leaves out.</summary>
    public const int CallerSlot = 0;

    /// <summary>20 ms at 48 kHz, the conference side's frame.</summary>
    public const int FrameSamples48k = OpusEncoder.FrameSamples48k;

    /// <summary>120 ms at 48 kHz: the longest Opus packet (RFC 6716 §3.2.5).</summary>
    private const int MaxOpusSamples = 5760;

    /// <summary>Room for one Opus packet at our bitrates (a 24 kbit/s 20 ms packet is ~60 bytes).</summary>
    private const int MaxPacketBytes = 1275;

    private readonly PhoneConferenceAudioOptions _options;
    private readonly Lock _gate = new();
    private readonly SpeexResampler _up;
    private readonly SpeexResampler _down;
    private readonly OpusEncoder _encoder;
    private readonly NMinusOneMixer _mixer;
    private readonly TrackQueue[] _tracks;
    private readonly Dictionary<string, int> _slotByTrack = new(StringComparer.Ordinal);
    private readonly short[] _caller48 = new short[FrameSamples48k + 16];
    private readonly short[] _mix48 = new short[FrameSamples48k];
    private readonly short[] _phone8 = new short[PhoneRtpSession.FrameSamples + 16];
    private readonly short[] _decoded = new short[MaxOpusSamples];
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private bool _disposed;

    private long _encoded;
    private long _dropped;
    private long _decodedFrames;
    private long _ignored;
    private long _mixed;
    private long _trackUnderruns;

    public PhoneConferenceAudio(PhoneConferenceAudioOptions? options = null)
    {
        _options = options ?? new PhoneConferenceAudioOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxTracks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxQueuedFrames);
        _up = new SpeexResampler(1, PhoneRtpSession.ClockRate, 48000, _options.ResamplerQuality);
        _down = new SpeexResampler(1, 48000, PhoneRtpSession.ClockRate, _options.ResamplerQuality);
        _encoder = new OpusEncoder(48000, 1, OpusApplication.Voip)
        {
            Bitrate = _options.OpusBitrate,
            Complexity = _options.OpusComplexity,
            MaxBandwidth = _options.OpusMaxBandwidth,
        };
        _mixer = new NMinusOneMixer(_options.MaxTracks + 1, FrameSamples48k);
        _tracks = new TrackQueue[_options.MaxTracks];
        for (int i = 0; i < _tracks.Length; i++)
        {
            _tracks[i] = new TrackQueue(_options.MaxQueuedFrames * FrameSamples48k);
        }
    }

    /// <summary>Where the caller's Opus goes; null (before the conference publication exists) drops it.</summary>
    public IConferenceAudioPublication? Publication { get; set; }

    public PhoneConferenceAudioStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                int active = 0;
                long dropped = 0;
                foreach (TrackQueue t in _tracks)
                {
                    active += t.InUse ? 1 : 0;
                    dropped += t.Dropped;
                }

                return new PhoneConferenceAudioStatistics
                {
                    OpusPacketsEncoded = _encoded,
                    OpusPacketsDropped = _dropped,
                    ConferenceFramesDecoded = _decodedFrames,
                    ConferenceFramesIgnored = _ignored,
                    ConferenceSamplesDropped = dropped,
                    MixedFrames = _mixed,
                    TrackUnderruns = _trackUnderruns,
                    ActiveTracks = active,
                };
            }
        }
    }

    /// <summary>The caller's 20 ms at 8 kHz: to 48 kHz, into the mixer's caller slot, out as one Opus packet.</summary>
    public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
    {
        Span<short> caller = _caller48.AsSpan(0, FrameSamples48k);
        _up.Process(frame8k, _caller48, out _, out int written);
        // 8 kHz to 48 kHz is an integer ratio: 160 in gives 960 out; pad defensively if the filter held some back.
        caller[Math.Min(written, FrameSamples48k)..].Clear();
        lock (_gate)
        {
            _mixer.SetInput(CallerSlot, caller);
        }

        OpusError error = _encoder.TryEncode(caller, _packet, out int length);
        if (error != OpusError.Ok)
        {
            _dropped++;
            return;
        }

        _encoded++;
        if (Publication is not { } publication || !publication.TrySendOpus(_packet.AsSpan(0, length), FrameSamples48k))
        {
            _dropped++;
        }
    }

    /// <summary>Everyone but the caller, 20 ms at 8 kHz.</summary>
    public int Read(Span<short> frame8k)
    {
        lock (_gate)
        {
            for (int i = 0; i < _tracks.Length; i++)
            {
                TrackQueue t = _tracks[i];
                int slot = i + 1;
                if (t.InUse && t.TryDequeue(_mixer.GetInput(slot)))
                {
                    _mixer.SetActive(slot, true);
                }
                else
                {
                    if (t.InUse && t.HasAudio)
                    {
                        _trackUnderruns++;
                    }

                    _mixer.SetActive(slot, false);
                }
            }

            _mixer.Mix();
            _mixer.WriteMixFor(CallerSlot, _mix48);
            _mixed++;
        }

        _down.Process(_mix48, _phone8, out _, out int written);
        int n = Math.Min(Math.Min(written, frame8k.Length), PhoneRtpSession.FrameSamples);
        _phone8.AsSpan(0, n).CopyTo(frame8k);
        return n;
    }

    /// <summary>A conference frame: audio tracks are decoded into their queue; video and ciphertext are ignored.</summary>
    public void OnFrame(in ConferenceFrame frame)
    {
        lock (_gate)
        {
            if (_disposed || frame.Track.Kind != TrackKind.Audio || frame.LooksEncrypted)
            {
                _ignored++;
                return;
            }

            int index = SlotOfLocked(frame.Track);
            if (index < 0 || _tracks[index].Encrypted)
            {
                _ignored++;
                return;
            }

            TrackQueue t = _tracks[index];
            OpusDecoder decoder = t.Decoder!;
            if (frame.AfterLoss)
            {
                // One frame of Opus concealment (PLC) stands in for what was lost before this frame.
                if (decoder.TryDecode(default, _decoded.AsSpan(0, FrameSamples48k), out int concealed) == OpusError.Ok)
                {
                    t.Enqueue(_decoded.AsSpan(0, concealed));
                }
            }

            if (decoder.TryDecode(frame.Data, _decoded, out int samples) != OpusError.Ok)
            {
                _ignored++;
                return;
            }

            t.Enqueue(_decoded.AsSpan(0, samples));
            _decodedFrames++;
        }
    }

    public void OnTrackStarted(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.Kind != TrackKind.Audio)
        {
            return;
        }

        lock (_gate)
        {
            SlotOfLocked(track);
        }
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            if (_slotByTrack.Remove(track.TrackId, out int index))
            {
                _tracks[index].Release();
            }
        }
    }

    /// <summary>An E2EE track cannot be decoded by a server: it is left out of the mix from now on.</summary>
    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            if (_slotByTrack.TryGetValue(track.TrackId, out int index))
            {
                _tracks[index].Encrypted = true;
                _tracks[index].Clear();
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
            foreach (TrackQueue t in _tracks)
            {
                t.Release();
            }
        }

        _up.Dispose();
        _down.Dispose();
        _encoder.Dispose();
    }

    private int SlotOfLocked(PublishedTrack track)
    {
        if (_slotByTrack.TryGetValue(track.TrackId, out int index))
        {
            return index;
        }

        for (int i = 0; i < _tracks.Length; i++)
        {
            if (!_tracks[i].InUse)
            {
                _tracks[i].Acquire();
                _slotByTrack[track.TrackId] = i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Decoded 48 kHz audio of one conference track waiting for the mixer: a ring of samples bounded to
    /// the configured frames. Invariant: <c>_count &lt;= _ring.Length</c>; samples are
    /// <c>_ring[_head .. _head + _count)</c> mod length.
    /// </summary>
    private sealed class TrackQueue
    {
        private readonly short[] _ring;
        private int _head;
        private int _count;

        public TrackQueue(int capacity) => _ring = new short[capacity];

        public OpusDecoder? Decoder { get; private set; }

        public bool InUse { get; private set; }

        public bool Encrypted { get; set; }

        public long Dropped { get; private set; }

        /// <summary>Audio was queued since the track (re)started: an empty queue from then on is an underrun.</summary>
        public bool HasAudio { get; private set; }

        public void Acquire()
        {
            InUse = true;
            Encrypted = false;
            Clear();
            Decoder ??= new OpusDecoder(48000, 1);
        }

        public void Release()
        {
            InUse = false;
            Clear();
            Decoder?.Dispose();
            Decoder = null;
        }

        public void Clear()
        {
            _head = 0;
            _count = 0;
            HasAudio = false;
        }

        public void Enqueue(ReadOnlySpan<short> samples)
        {
            if (samples.Length > _ring.Length)
            {
                Dropped += samples.Length - _ring.Length;
                samples = samples[^_ring.Length..];
            }

            int overflow = _count + samples.Length - _ring.Length;
            if (overflow > 0)
            {
                // Keep the newest audio: the mix must not fall behind the conference.
                _head = (_head + overflow) % _ring.Length;
                _count -= overflow;
                Dropped += overflow;
            }

            int tail = (_head + _count) % _ring.Length;
            int first = Math.Min(samples.Length, _ring.Length - tail);
            samples[..first].CopyTo(_ring.AsSpan(tail));
            samples[first..].CopyTo(_ring);
            _count += samples.Length;
            HasAudio = true;
        }

        /// <summary>Moves one whole frame into <paramref name="frame"/>; false (and nothing moved) when less is queued.</summary>
        public bool TryDequeue(Span<short> frame)
        {
            if (_count < frame.Length)
            {
                return false;
            }

            int first = Math.Min(frame.Length, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(frame);
            _ring.AsSpan(0, frame.Length - first).CopyTo(frame[first..]);
            _head = (_head + frame.Length) % _ring.Length;
            _count -= frame.Length;
            return true;
        }
    }
}
