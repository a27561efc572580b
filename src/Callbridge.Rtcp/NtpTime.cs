namespace Callbridge.Rtcp;

/// <summary>
/// 64-bit NTP timestamps (RFC 5905 §6: 32-bit seconds since 1900-01-01 UTC, 32-bit fraction) as used by
/// SR packets (RFC 3550 §4). Seconds values below 2^31 are read as era 1 (from 2036-02-07), the
/// RFC 4330 §3 convention, so conversion stays right across the 2036 rollover.
/// </summary>
public static class NtpTime
{
    private static readonly DateTimeOffset Era0 = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Era1 = Era0.AddSeconds(1L << 32);

    public static ulong FromDateTimeOffset(DateTimeOffset time)
    {
        var since = time >= Era1 ? time - Era1 : time - Era0;
        long ticks = since.Ticks;
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        ulong fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static DateTimeOffset ToDateTimeOffset(ulong ntp)
    {
        uint seconds = (uint)(ntp >> 32);
        ulong fraction = ntp & 0xFFFFFFFF;
        var epoch = seconds < 0x80000000u ? Era1 : Era0;
        return epoch.AddTicks(seconds * TimeSpan.TicksPerSecond + (long)(fraction * TimeSpan.TicksPerSecond >> 32));
    }

    /// <summary>The middle 32 bits, the "compact" form in LSR and DLSR (RFC 3550 §6.4.1).</summary>
    public static uint ToCompact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>A duration in 1/65536 s units (DLSR), saturating at uint.MaxValue.</summary>
    public static uint ToCompactDuration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return 0;
        }

        double units = duration.TotalSeconds * 65536.0;
        return units >= uint.MaxValue ? uint.MaxValue : (uint)units;
    }

    /// <summary>Round-trip time from an RR block received at <paramref name="arrivalNtp"/> (RFC 3550 §6.4.1: A - LSR - DLSR).</summary>
    public static TimeSpan RoundTripTime(ulong arrivalNtp, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        if (lastSenderReport == 0)
        {
            return TimeSpan.Zero;
        }

        uint compact = ToCompact(arrivalNtp) - lastSenderReport - delaySinceLastSenderReport;
        // Negative results (clock skew) wrap to huge values: report zero instead.
        return compact > 0x80000000u ? TimeSpan.Zero : TimeSpan.FromSeconds(compact / 65536.0);
    }
}
