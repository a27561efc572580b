namespace Callbridge.Rtcp;

/// <summary>
/// Maps a source's RTP timestamps to the sender's wall clock and back, from its latest SR (RFC 3550
/// §6.4.1: the NTP and RTP timestamps of an SR describe the same instant). Used to align tracks.
/// A timestamp is placed at the signed 32-bit distance from the SR's, so mapping holds within
/// 2^31 / clock rate seconds of the SR (about 6.6 h at 90 kHz).
/// </summary>
public struct SenderClockMap
{
    private ulong _ntp;
    private uint _rtp;

    public SenderClockMap(int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ClockRate = clockRate;
    }

    public int ClockRate { get; }

    /// <summary>True once an SR has been applied.</summary>
    public bool IsSynchronized { get; private set; }

    public void Update(ulong ntpTimestamp, uint rtpTimestamp)
    {
        _ntp = ntpTimestamp;
        _rtp = rtpTimestamp;
        IsSynchronized = true;
    }

    /// <summary>Sender wall-clock NTP timestamp of <paramref name="rtpTimestamp"/>; false before any SR.</summary>
    public readonly bool TryGetNtp(uint rtpTimestamp, out ulong ntpTimestamp)
    {
        if (!IsSynchronized)
        {
            ntpTimestamp = 0;
            return false;
        }

        long delta = (int)(rtpTimestamp - _rtp);
        // delta / clockRate seconds, in 32.32 fixed point.
        long ntpDelta = (long)(((Int128)delta << 32) / ClockRate);
        ntpTimestamp = (ulong)((long)_ntp + ntpDelta);
        return true;
    }

    public readonly bool TryGetWallClock(uint rtpTimestamp, out DateTimeOffset time)
    {
        bool ok = TryGetNtp(rtpTimestamp, out ulong ntp);
        time = ok ? NtpTime.ToDateTimeOffset(ntp) : default;
        return ok;
    }

    /// <summary>RTP timestamp the sender's clock had at <paramref name="ntpTimestamp"/>; false before any SR.</summary>
    public readonly bool TryGetRtpTimestamp(ulong ntpTimestamp, out uint rtpTimestamp)
    {
        if (!IsSynchronized)
        {
            rtpTimestamp = 0;
            return false;
        }

        long ntpDelta = (long)(ntpTimestamp - _ntp);
        long delta = (long)(((Int128)ntpDelta * ClockRate) >> 32);
        rtpTimestamp = (uint)(_rtp + delta);
        return true;
    }
}
