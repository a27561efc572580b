namespace Callbridge.Rtcp;

/// <summary>
/// Sender-side counters of one outgoing source and the SR that reports them (RFC 3550 §6.4.1). Not
/// thread-safe: feed it from the track's send loop.
/// </summary>
/// <remarks>
/// Invariant: once a packet was sent, <c>_lastTimestamp</c> is the RTP timestamp of the most recent
/// packet and <c>_lastSentAt</c> its send time; the SR's RTP timestamp is extrapolated from them at
/// the clock rate, so that it denotes the same instant as the SR's NTP timestamp (§6.4.1).
/// </remarks>
public sealed class SendStatistics
{
    private readonly TimeProvider _time;
    private uint _lastTimestamp;
    private long _lastSentAt;

    public SendStatistics(uint ssrc, int clockRate, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentNullException.ThrowIfNull(time);
        Ssrc = ssrc;
        ClockRate = clockRate;
        _time = time;
    }

    public uint Ssrc { get; }

    public int ClockRate { get; }

    /// <summary>Packets sent (wraps at 2^32 on the wire, §6.4.1).</summary>
    public uint PacketCount { get; private set; }

    /// <summary>Payload octets sent, headers and padding excluded (§6.4.1).</summary>
    public uint OctetCount { get; private set; }

    public bool HasSent => PacketCount > 0;

    public void OnPacketSent(uint rtpTimestamp, int payloadLength)
    {
        PacketCount++;
        OctetCount += (uint)payloadLength;
        _lastTimestamp = rtpTimestamp;
        _lastSentAt = _time.GetTimestamp();
    }

    /// <summary>An SR for now, carrying <paramref name="blocks"/> (at most 31) as its reception reports.</summary>
    public SenderReport CreateReport(ReadOnlySpan<ReportBlock> blocks)
    {
        var elapsed = _time.GetElapsedTime(_lastSentAt);
        uint rtpNow = _lastTimestamp + (uint)(long)(elapsed.TotalSeconds * ClockRate);
        return new SenderReport
        {
            Ssrc = Ssrc,
            NtpTimestamp = NtpTime.FromDateTimeOffset(_time.GetUtcNow()),
            RtpTimestamp = rtpNow,
            PacketCount = PacketCount,
            OctetCount = OctetCount,
            ReportBlocks = ReportBlockList.From(blocks),
        };
    }
}
