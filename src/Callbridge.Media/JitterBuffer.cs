using System.Buffers;
using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Per-track reordering buffer over a preallocated ring of pooled slots: insert RTP packets in any
/// order, release them in sequence order, giving up on a gap after <see cref="JitterBufferOptions.MaxLatency"/>
/// or when the window exceeds <see cref="JitterBufferOptions.MaxDepth"/>. Nothing is allocated per packet.
/// Not thread-safe: one receive loop owns it.
/// </summary>
/// <remarks>
/// Invariants, once the first packet arrived:
/// <list type="bullet">
/// <item><c>_next</c> is the extended sequence number to release next; everything below it was released or given up.</item>
/// <item>Every occupied slot holds an extended sequence number in [<c>_next</c>, <c>_next</c> + Capacity), stored at index <c>seq &amp; _mask</c>, so slots never collide.</item>
/// <item><c>_held</c> is the number of occupied slots; <c>_highest</c> the newest sequence number inserted.</item>
/// <item>Until the first release after a (re)start, <c>_next</c> may move back to admit a packet older than the first one.</item>
/// </list>
/// </remarks>
public sealed class JitterBuffer : IDisposable
{
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly JitterBufferOptions _options;
    private readonly TimeProvider _time;
    private readonly ArrayPool<byte> _pool;
    private readonly long _maxLatencyTicks;
    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private long _next;
    private long _highest;
    private int _held;
    private long _restartCandidate = long.MinValue;
    private long _releasedAtStart;

    private long _inserted;
    private long _released;
    private long _duplicates;
    private long _late;
    private long _reordered;
    private long _lost;
    private long _discarded;
    private long _tooLarge;
    private long _restarts;

    public JitterBuffer(JitterBufferOptions options, TimeProvider time, ArrayPool<byte>? pool = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Capacity < 2 || (options.Capacity & (options.Capacity - 1)) != 0)
        {
            throw new ArgumentException("Capacity must be a power of two.", nameof(options));
        }

        if (options.MaxDepth < 1 || options.MaxDepth > options.Capacity)
        {
            throw new ArgumentException("MaxDepth must be 1..Capacity.", nameof(options));
        }

        _options = options;
        _time = time;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _mask = options.Capacity - 1;
        _maxLatencyTicks = (long)(options.MaxLatency.TotalSeconds * time.TimestampFrequency);
        _slots = new Slot[options.Capacity];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i].Buffer = _pool.Rent(options.MaxPacketSize);
        }
    }

    /// <summary>Packets currently held.</summary>
    public int Count => _held;

    public JitterBufferStatistics Statistics =>
        new(_inserted, _released, _duplicates, _late, _reordered, _lost, _discarded, _tooLarge, _restarts);

    /// <summary>Stores a copy of <paramref name="rtpPacket"/> (already validated as RTP by the caller), arrived now.</summary>
    public JitterInsertResult Insert(ReadOnlySpan<byte> rtpPacket) => Insert(rtpPacket, _time.GetTimestamp());

    /// <summary>
    /// As <see cref="Insert(ReadOnlySpan{byte})"/> for a packet that arrived at <paramref name="arrivalTimestamp"/>
    /// (the time provider's timestamp): a reader that takes its socket on a clock tick hands the real arrival in,
    /// so that the wait for a missing packet counts from there and not from the tick.
    /// </summary>
    public JitterInsertResult Insert(ReadOnlySpan<byte> rtpPacket, long arrivalTimestamp)
    {
        if (!RtpPacket.TryPeekSequenceNumber(rtpPacket, out ushort sequenceNumber))
        {
            return JitterInsertResult.Invalid;
        }

        if (rtpPacket.Length > _options.MaxPacketSize)
        {
            _tooLarge++;
            return JitterInsertResult.TooLarge;
        }

        long seq = _unwrapper.Unwrap(sequenceNumber);
        var result = JitterInsertResult.Inserted;
        if (!_started)
        {
            _started = true;
            _next = seq;
            _highest = seq;
        }
        else if (seq < _next && _released == _releasedAtStart && _highest - seq < _slots.Length)
        {
            // Nothing released since the start: a packet older than the first one still fits in order.
            _next = seq;
        }
        else if (seq < _next)
        {
            // Far behind the window twice in a row (consecutive numbers): the source restarted its
            // sequence (RFC 3550 §A.1 confirms a restart the same way). Otherwise it is just late.
            if (_next - seq > _slots.Length && seq == _restartCandidate)
            {
                _unwrapper = default;
                seq = _unwrapper.Unwrap(sequenceNumber);
                Restart(seq);
                result = JitterInsertResult.Restarted;
            }
            else
            {
                _restartCandidate = seq + 1;
                _late++;
                return JitterInsertResult.Late;
            }
        }
        else if (seq - _next >= _slots.Length)
        {
            // Beyond the ring: the consumer cannot catch up to it in order, so start over here.
            Restart(seq);
            result = JitterInsertResult.Restarted;
        }

        ref Slot slot = ref _slots[seq & _mask];
        if (slot.Occupied)
        {
            // By the window invariant an occupied slot here holds this very sequence number.
            _duplicates++;
            return JitterInsertResult.Duplicate;
        }

        if (seq < _highest)
        {
            _reordered++;
        }
        else
        {
            _highest = seq;
        }

        rtpPacket.CopyTo(slot.Buffer);
        slot.Length = rtpPacket.Length;
        slot.Sequence = seq;
        slot.Arrival = arrivalTimestamp;
        slot.Occupied = true;
        _held++;
        _inserted++;
        return result;
    }

    /// <summary>
    /// Whether inserting <paramref name="rtpPacket"/> would start the buffer over while it holds packets: a sequence
    /// number beyond the ring from the next one to release (the sender, or the SFU, dropped more of the stream than
    /// the ring holds). A restart discards what is held; a caller that must not lose received packets (a recorder)
    /// releases them first with <see cref="TryRelease(out JitterBufferPacket, bool)"/>, giving up on the gaps.
    /// </summary>
    public bool WouldDiscardHeld(ReadOnlySpan<byte> rtpPacket)
    {
        if (!_started || _held == 0 || !RtpPacket.TryPeekSequenceNumber(rtpPacket, out ushort sequenceNumber))
        {
            return false;
        }

        return _unwrapper.Peek(sequenceNumber) - _next >= _slots.Length;
    }

    /// <summary>
    /// Releases the next packet in order, or the first one after a gap the buffer gives up on now (at once when
    /// <paramref name="giveUpOnGaps"/>). False when nothing can be released yet.
    /// </summary>
    public bool TryRelease(out JitterBufferPacket packet, bool giveUpOnGaps = false)
    {
        packet = default;
        if (_held == 0)
        {
            return false;
        }

        ref Slot slot = ref _slots[_next & _mask];
        int lostBefore = 0;
        if (!slot.Occupied)
        {
            long first = FindFirstHeld();
            bool tooDeep = _highest - _next + 1 > _options.MaxDepth;
            bool tooOld = _time.GetTimestamp() - _slots[first & _mask].Arrival >= _maxLatencyTicks;
            if (!tooDeep && !tooOld && !giveUpOnGaps)
            {
                return false;
            }

            lostBefore = (int)(first - _next);
            _lost += lostBefore;
            _next = first;
            slot = ref _slots[first & _mask];
        }

        slot.Occupied = false;
        _held--;
        _released++;
        _next++;
        packet = new JitterBufferPacket
        {
            Data = slot.Buffer.AsSpan(0, slot.Length),
            SequenceNumber = slot.Sequence,
            ArrivalTimestamp = slot.Arrival,
            LostBefore = lostBefore,
        };
        return true;
    }

    /// <summary>
    /// How long until <see cref="TryRelease"/> would give up on the current gap (for the caller's timer);
    /// zero when a packet can be released now, null when nothing is held.
    /// </summary>
    public TimeSpan? GetTimeUntilRelease()
    {
        if (_held == 0)
        {
            return null;
        }

        if (_slots[_next & _mask].Occupied || _highest - _next + 1 > _options.MaxDepth)
        {
            return TimeSpan.Zero;
        }

        long waited = _time.GetTimestamp() - _slots[FindFirstHeld() & _mask].Arrival;
        long remaining = Math.Max(0, _maxLatencyTicks - waited);
        return TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency);
    }

    public void Dispose()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Buffer is { } buffer)
            {
                _pool.Return(buffer);
                _slots[i].Buffer = null!;
            }
        }
    }

    private long FindFirstHeld()
    {
        // _held > 0 and every held packet lies in [_next, _highest].
        for (long seq = _next; seq <= _highest; seq++)
        {
            if (_slots[seq & _mask].Occupied)
            {
                return seq;
            }
        }

        return _highest;
    }

    private void Restart(long seq)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Occupied)
            {
                _slots[i].Occupied = false;
                _discarded++;
            }
        }

        _held = 0;
        _restarts++;
        _releasedAtStart = _released;
        _next = seq;
        _highest = seq;
    }

    /// <summary>One ring slot; <see cref="Buffer"/> is rented once at construction and kept.</summary>
    private struct Slot
    {
        public byte[] Buffer;
        public int Length;
        public long Sequence;
        public long Arrival;
        public bool Occupied;
    }
}
