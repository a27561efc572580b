using Callbridge.Rtp;

namespace Callbridge.Rtcp;

/// <summary>
/// Per-source reception statistics and the report block a receiver sends for that source (RFC 3550
/// §6.4.1, algorithms of §A.1, §A.3 and §A.8). Not thread-safe: feed it from the track's receive loop.
/// </summary>
/// <remarks>
/// Invariants: once started, <c>_maxSeq</c> is the highest sequence number accepted and
/// <c>_cycles</c> counts its wraps (in units of 65536); <c>_received</c> counts accepted packets,
/// duplicates included (§A.3 allows the cumulative loss to go negative for that reason).
/// §A.1's probation (MIN_SEQUENTIAL) is not applied: packets reach us authenticated by SRTP, so the
/// first one starts the source.
/// </remarks>
public sealed class ReceiveStatistics
{
    /// <summary>§A.1: a jump of this many or more is treated as a restart candidate, not as loss.</summary>
    private const int MaxDropout = 3000;

    /// <summary>§A.1: packets this far behind the highest are counted as reordered, not as a jump.</summary>
    private const int MaxMisorder = 100;

    private const int SequenceModulo = 1 << 16;

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private bool _started;
    private ushort _maxSeq;
    private long _cycles;
    private ushort _baseSeq;
    private int _badSeq = SequenceModulo + 1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private uint _lastTransit;
    private bool _haveTransit;
    private long _jitterQ4;
    private uint _lastSrCompact;
    private long _lastSrArrival;

    /// <param name="ssrc">The media source these statistics describe.</param>
    /// <param name="clockRate">RTP clock rate of the source (48000 for Opus, 90000 for video), for jitter.</param>
    public ReceiveStatistics(uint ssrc, int clockRate, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        Ssrc = ssrc;
        ClockRate = clockRate;
        _time = time;
        _startTimestamp = time.GetTimestamp();
    }

    public uint Ssrc { get; }

    public int ClockRate { get; }

    public long PacketsReceived => _received;

    /// <summary>§A.3 extended highest sequence number: cycles + max_seq (low 32 bits go on the wire).</summary>
    public long ExtendedHighestSequenceNumber => _cycles + _maxSeq;

    /// <summary>§A.3 cumulative number of packets lost: expected minus received (negative with duplicates).</summary>
    public long PacketsLost => _started ? ExtendedHighestSequenceNumber - _baseSeq + 1 - _received : 0;

    /// <summary>Interarrival jitter in RTP units (§A.8).</summary>
    public uint Jitter => (uint)(_jitterQ4 >> 4);

    /// <summary>Records a received packet's sequence number and timestamp, arrival time from the TimeProvider.</summary>
    public void OnPacket(ushort sequenceNumber, uint rtpTimestamp)
    {
        if (!UpdateSequence(sequenceNumber))
        {
            return;
        }

        // §A.8: transit = arrival (RTP units) - timestamp; J += (|D| - J) / 16, kept scaled by 16.
        // Split so that elapsed * clockRate cannot overflow on long calls (ns ticks x 90 kHz passes 2^63 after a day).
        long elapsed = _time.GetTimestamp() - _startTimestamp;
        long frequency = _time.TimestampFrequency;
        uint arrival = (uint)((elapsed / frequency * ClockRate) + (elapsed % frequency * ClockRate / frequency));
        uint transit = arrival - rtpTimestamp;
        if (_haveTransit)
        {
            long d = Math.Abs((long)(int)(transit - _lastTransit));
            _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
        }

        _lastTransit = transit;
        _haveTransit = true;
    }

    /// <summary>Records an SR from this source, for LSR/DLSR in the next report.</summary>
    public void OnSenderReport(ulong ntpTimestamp)
    {
        _lastSrCompact = NtpTime.ToCompact(ntpTimestamp);
        _lastSrArrival = _time.GetTimestamp();
    }

    /// <summary>Builds the report block for now and starts a new reporting interval (§A.3).</summary>
    public ReportBlock CreateReportBlock()
    {
        if (!_started)
        {
            return new ReportBlock(Ssrc, 0, 0, 0, 0, 0, 0);
        }

        long extendedMax = ExtendedHighestSequenceNumber;
        long expected = extendedMax - _baseSeq + 1;
        long lost = expected - _received;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        uint dlsr = 0;
        if (_lastSrCompact != 0)
        {
            dlsr = NtpTime.ToCompactDuration(_time.GetElapsedTime(_lastSrArrival));
        }

        return new ReportBlock(
            Ssrc,
            fraction,
            (int)Math.Clamp(lost, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost),
            (uint)extendedMax,
            Jitter,
            _lastSrCompact,
            dlsr);
    }

    /// <summary>§A.1 update_seq; false when the packet is held back as a possible restart.</summary>
    private bool UpdateSequence(ushort seq)
    {
        if (!_started)
        {
            Restart(seq);
            _started = true;
            _received = 1;
            return true;
        }

        int delta = (ushort)(seq - _maxSeq);
        if (delta < MaxDropout)
        {
            // In order, with a permissible gap.
            if (seq < _maxSeq)
            {
                _cycles += SequenceModulo;
            }

            _maxSeq = seq;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump: two sequential packets after it mean the source restarted.
            if (seq == _badSeq)
            {
                Restart(seq);
            }
            else
            {
                _badSeq = (seq + 1) & (SequenceModulo - 1);
                return false;
            }
        }

        // Otherwise a duplicate or reordered packet: counted as received.
        _received++;
        return true;
    }

    private void Restart(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SequenceModulo + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
        _haveTransit = false;
    }
}
