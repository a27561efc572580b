using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Tracks missing RTP sequence numbers of one source and says which to request (RFC 4585 §6.2.1 generic
/// NACK) and when: first after <see cref="NackOptions.ReorderDelay"/>, then again every max(RTT,
/// <see cref="NackOptions.MinRetryInterval"/>) up to <see cref="NackOptions.MaxRetries"/> times.
/// Preallocated; not thread-safe.
/// </summary>
/// <remarks>
/// Invariant: <c>_entries[0.._count)</c> are distinct missing extended sequence numbers in ascending
/// order, all below <c>_highest</c>, at most <see cref="NackOptions.MaxMissing"/> of them.
/// </remarks>
public sealed class NackGenerator
{
    private readonly NackOptions _options;
    private readonly TimeProvider _time;
    private readonly Entry[] _entries;
    private SequenceUnwrapper _unwrapper;
    private int _count;
    private long _highest;
    private bool _started;
    private TimeSpan _rtt;

    public NackGenerator(NackOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMissing);
        _options = options;
        _time = time;
        _entries = new Entry[options.MaxMissing];
        _rtt = options.InitialRoundTripTime;
    }

    /// <summary>Missing packets currently tracked.</summary>
    public int MissingCount => _count;

    /// <summary>Packets dropped from the list after the retry limit or <see cref="NackOptions.MaxAge"/>.</summary>
    public long GivenUp { get; private set; }

    /// <summary>Packets that arrived after having been missing.</summary>
    public long Recovered { get; private set; }

    /// <summary>Set when a gap larger than <see cref="NackOptions.MaxMissing"/> was seen: the caller should send a PLI and clear it.</summary>
    public bool KeyFrameNeeded { get; set; }

    public void UpdateRoundTripTime(TimeSpan rtt) => _rtt = rtt > TimeSpan.Zero ? rtt : _options.InitialRoundTripTime;

    /// <summary>Records an arrived packet (original or retransmission).</summary>
    public void OnPacket(ushort sequenceNumber)
    {
        long seq = _unwrapper.Unwrap(sequenceNumber);
        if (!_started)
        {
            _started = true;
            _highest = seq;
            return;
        }

        if (seq <= _highest)
        {
            int index = IndexOf(seq);
            if (index >= 0)
            {
                RemoveAt(index);
                Recovered++;
            }

            return;
        }

        long firstMissing = _highest + 1;
        _highest = seq;
        long gap = seq - firstMissing;
        if (gap == 0)
        {
            return;
        }

        if (gap > _entries.Length)
        {
            // Too many to repair: forget them all and ask for a key frame instead.
            GivenUp += _count + gap;
            _count = 0;
            KeyFrameNeeded = true;
            return;
        }

        long now = _time.GetTimestamp();
        for (long missing = firstMissing; missing < seq; missing++)
        {
            if (_count == _entries.Length)
            {
                // Full: the oldest is the least likely to still be useful.
                RemoveAt(0);
                GivenUp++;
            }

            _entries[_count++] = new Entry { Sequence = missing, FirstSeen = now, LastSent = 0, Retries = 0 };
        }
    }

    /// <summary>
    /// Writes the sequence numbers to request now into <paramref name="destination"/> (ascending) and
    /// records them as sent; drops entries past their retry limit or age. Returns how many were written.
    /// </summary>
    public int GetRequests(Span<ushort> destination)
    {
        long now = _time.GetTimestamp();
        long frequency = _time.TimestampFrequency;
        long reorderTicks = ToTicks(_options.ReorderDelay, frequency);
        long retryTicks = ToTicks(_rtt > _options.MinRetryInterval ? _rtt : _options.MinRetryInterval, frequency);
        long maxAgeTicks = ToTicks(_options.MaxAge, frequency);
        int written = 0;
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            Entry entry = _entries[i];
            if (entry.Retries >= _options.MaxRetries || now - entry.FirstSeen > maxAgeTicks)
            {
                GivenUp++;
                continue;
            }

            bool due = entry.Retries == 0 ? now - entry.FirstSeen >= reorderTicks : now - entry.LastSent >= retryTicks;
            if (due && written < destination.Length)
            {
                destination[written++] = (ushort)entry.Sequence;
                entry.Retries++;
                entry.LastSent = now;
            }

            _entries[kept++] = entry;
        }

        _count = kept;
        return written;
    }

    private static long ToTicks(TimeSpan span, long frequency) => (long)(span.TotalSeconds * frequency);

    private int IndexOf(long seq)
    {
        int lo = 0;
        int hi = _count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            long value = _entries[mid].Sequence;
            if (value == seq)
            {
                return mid;
            }

            if (value < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    private void RemoveAt(int index)
    {
        Array.Copy(_entries, index + 1, _entries, index, _count - index - 1);
        _count--;
    }

    private struct Entry
    {
        public long Sequence;
        public long FirstSeen;
        public long LastSent;
        public int Retries;
    }
}
