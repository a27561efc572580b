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
/// <c>_excessFrames</c> counts consecutive frames that ended with more than <c>_targetQueued</c> queued.
/// </remarks>
internal sealed class PhonePlayout : IDisposable
{
    /// <summary>Largest G.711 payload decoded: 1500-byte datagrams minus headers hold at most 1488 samples.</summary>
    private const int MaxPayloadSamples = 1500;

    private readonly JitterBuffer _jitter;
    private readonly short[] _queue;
    private readonly short[] _decoded = new short[MaxPayloadSamples];
    /// <summary>Frames (one second) the queue must stay above its target before one frame is dropped.</summary>
    private const int DriftDownFrames = 50;

    private readonly int _maxQueued;
    private readonly int _targetQueued;
    private int _excessFrames;
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

    /// <summary>Sum over frames read of the samples left queued after each: divided by the frames, the mean wait the queue adds.</summary>
    public long BacklogSamples { get; private set; }

    public long PacketsLost => _jitter.Statistics.Lost;

    public JitterInsertResult Insert(ReadOnlySpan<byte> rtpPacket) => _jitter.Insert(rtpPacket);

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

        // Delay a burst left behind stays unless something takes it out: while more than the target has
        // been queued for a whole second, one frame at a time is dropped (20 ms per second, barely audible).
        _excessFrames = _count > _targetQueued ? _excessFrames + 1 : 0;
        if (_excessFrames >= DriftDownFrames)
        {
            Drop(Math.Min(frame.Length, _count - _targetQueued));
            _excessFrames = 0;
        }

        BacklogSamples += _count;
        return take == frame.Length;
    }

    /// <summary>Forgets queued audio (hold, or a new remote source).</summary>
    public void Clear()
    {
        _head = 0;
        _count = 0;
    }

    public void Dispose() => _jitter.Dispose();

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
