using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.PhoneMedia;

/// <summary>
/// Receive side of the phone leg: RTP packets go into the media core's <see cref="JitterBuffer"/> in any
/// order; once per 20 ms the playout takes them out in order, decodes G.711 into a PCM queue (packets of
/// any ptime) and hands out one frame, silence when nothing is there (loss concealment by silence).
/// Not thread-safe: the session's lock guards it.
/// </summary>
/// <remarks>
/// Invariants: <c>_queue[_head .. _head + _count)</c> (mod capacity) holds decoded samples not yet
/// played; <c>_count &lt;= _queue.Length</c>; after <see cref="ReadFrame"/> <c>_count &lt;= _maxQueued</c>;
/// <c>_windowLowest</c> is the lowest queue level after a read in the current window of <c>_windowFrames</c>
/// frames; <c>_standingExcess</c> is what the last whole window left above <c>_targetQueued</c>, less what
/// was dropped since.
/// </remarks>
internal sealed class PhonePlayout : IDisposable
{
    /// <summary>Largest G.711 payload decoded: 1500-byte datagrams minus headers hold at most 1488 samples.</summary>
    private const int MaxPayloadSamples = 1500;

    private readonly JitterBuffer _jitter;
    private readonly short[] _queue;
    private readonly short[] _decoded = new short[MaxPayloadSamples];
    /// <summary>
    /// Frames (one second) over which the lowest queue level is taken: what stayed queued all that time is a
    /// standing backlog no arrival jitter used, and only that is taken out.
    /// </summary>
    private const int WindowFrames = 50;

    private readonly int _maxQueued;
    private readonly int _targetQueued;
    private int _windowFrames;
    private int _windowLowest = int.MaxValue;
    private int _standingExcess;
    private int _head;
    private int _count;

    public PhonePlayout(PhoneRtpSessionOptions options, TimeProvider time, int frameSamples)
    {
        _jitter = new JitterBuffer(
            new JitterBufferOptions
            {
                // 32 slots = 640 ms of 20 ms packets: far more than MaxLatency lets wait, and small per call.
                Capacity = 32,
                MaxDepth = 16,
                MaxPacketSize = 1500,
                MaxLatency = options.JitterMaxLatency,
            },
            time);
        _maxQueued = Math.Max(1, options.MaxBufferedFrames) * frameSamples;
        // Two frames queued ahead of playout absorb ordinary send jitter; more than that is a burst's leftover.
        _targetQueued = Math.Min(2 * frameSamples, _maxQueued);
        _queue = new short[_maxQueued + MaxPayloadSamples + frameSamples];
    }

    public long SamplesDropped { get; private set; }

    /// <summary>Frames taken out of a pause to shorten the delay a burst left.</summary>
    public long QuietFramesDropped { get; private set; }

    /// <summary>Sum over frames read of the samples left queued after each: divided by the frames, the mean wait the queue adds.</summary>
    public long BacklogSamples { get; private set; }

    public long PacketsLost => _jitter.Statistics.Lost;

    /// <summary>Holds a packet that arrived at <paramref name="arrival"/> (the session's time provider's timestamp).</summary>
    public JitterInsertResult Insert(ReadOnlySpan<byte> rtpPacket, long arrival) => _jitter.Insert(rtpPacket, arrival);

    /// <summary>Fills <paramref name="frame"/>; false when any of it is concealment silence.</summary>
    public bool ReadFrame(Span<short> frame, PhoneCodec codec)
    {
        // Everything the jitter buffer releases is decoded now, so that the delay bound below also covers
        // a burst of packets, not only what one frame needs.
        while (_jitter.TryRelease(out JitterBufferPacket packet))
        {
            if (RtpPacket.TryParse(packet.Data, out RtpPacket rtp, out _) != RtpParseError.None)
            {
                continue;
            }

            ReadOnlySpan<byte> payload = rtp.Payload;
            if (payload.Length > MaxPayloadSamples)
            {
                payload = payload[..MaxPayloadSamples];
            }

            Span<short> decoded = _decoded.AsSpan(0, payload.Length);
            G711.Decode(codec, payload, decoded);
            Enqueue(decoded);
        }

        int take = Math.Min(_count, frame.Length);
        Dequeue(frame[..take]);
        frame[take..].Clear();
        if (_count > _maxQueued)
        {
            // A burst (or a late timer) queued more than the delay bound: play the newest audio.
            Drop(_count - _maxQueued);
        }

        // Delay a burst left behind stays unless something takes it out. Only a standing backlog goes: the
        // part above the target that stayed queued through a whole window (arrival jitter that keeps using
        // the queue keeps its room). It goes in pauses of the caller's speech, a quiet frame at a time, where
        // nobody hears it; speech without a pause still loses one frame at the end of each window.
        _windowLowest = Math.Min(_windowLowest, _count);
        bool windowEnded = ++_windowFrames == WindowFrames;
        if (windowEnded)
        {
            _standingExcess = Math.Max(0, _windowLowest - _targetQueued);
            _windowFrames = 0;
            _windowLowest = int.MaxValue;
        }

        int drop = Math.Min(Math.Min(frame.Length, _standingExcess), _count - _targetQueued);
        if (drop > 0)
        {
            bool quiet = IsQuiet(drop);
            if (quiet || windowEnded)
            {
                QuietFramesDropped += quiet ? 1 : 0;
                Drop(drop);
                _standingExcess -= drop;
            }
        }

        BacklogSamples += _count;
        return take == frame.Length;
    }

    /// <summary>Forgets queued audio (hold, or a new remote source).</summary>
    public void Clear()
    {
        _head = 0;
        _count = 0;
        _standingExcess = 0;
        _windowFrames = 0;
        _windowLowest = int.MaxValue;
    }

    public void Dispose() => _jitter.Dispose();

    /// <summary>Whether the next <paramref name="samples"/> queued are a pause (<see cref="PauseLevel"/>).</summary>
    private bool IsQuiet(int samples)
    {
        int first = Math.Min(samples, _queue.Length - _head);
        return PauseLevel.IsQuiet(_queue.AsSpan(_head, first), _queue.AsSpan(0, samples - first));
    }

    private void Drop(int samples)
    {
        _head = (_head + samples) % _queue.Length;
        _count -= samples;
        SamplesDropped += samples;
    }

    private void Enqueue(ReadOnlySpan<short> samples)
    {
        int free = _queue.Length - _count;
        if (samples.Length > free)
        {
            int drop = samples.Length - free;
            _head = (_head + drop) % _queue.Length;
            _count -= drop;
            SamplesDropped += drop;
        }

        int tail = (_head + _count) % _queue.Length;
        int first = Math.Min(samples.Length, _queue.Length - tail);
        samples[..first].CopyTo(_queue.AsSpan(tail));
        samples[first..].CopyTo(_queue);
        _count += samples.Length;
    }

    private void Dequeue(Span<short> destination)
    {
        int first = Math.Min(destination.Length, _queue.Length - _head);
        _queue.AsSpan(_head, first).CopyTo(destination);
        _queue.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
        _head = (_head + destination.Length) % _queue.Length;
        _count -= destination.Length;
    }
}
