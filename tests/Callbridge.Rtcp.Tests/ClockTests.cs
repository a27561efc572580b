using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class ClockTests
{
    [Fact]
    public void NtpConvertsBothWaysAndAcrossThe2036Era()
    {
        var t = new DateTimeOffset(2026, 11, 22, 6, 15, 0, 123, TimeSpan.Zero);
        ulong ntp = NtpTime.FromDateTimeOffset(t);
        Assert.Equal(t, NtpTime.ToDateTimeOffset(ntp), TimeSpan.FromTicks(1));
        // 2026: 3,973,... seconds since 1900, above 2^31.
        Assert.True(ntp >> 32 > 0x80000000u);

        var after = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ulong ntp2 = NtpTime.FromDateTimeOffset(after);
        Assert.True(ntp2 >> 32 < 0x80000000u);
        Assert.Equal(after, NtpTime.ToDateTimeOffset(ntp2), TimeSpan.FromTicks(1));
    }

    [Fact]
    public void SenderClockMapMapsRtpToWallClockAndBack()
    {
        var map = new SenderClockMap(90000);
        Assert.False(map.TryGetWallClock(0, out _));
        var srTime = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        uint srRtp = uint.MaxValue - 45000; // half a second before the 32-bit wrap
        map.Update(NtpTime.FromDateTimeOffset(srTime), srRtp);

        Assert.True(map.TryGetWallClock(srRtp + 90000 * 2, out var later)); // wraps
        Assert.Equal(srTime.AddSeconds(2), later, TimeSpan.FromMilliseconds(1));
        Assert.True(map.TryGetWallClock(srRtp - 9000, out var earlier));
        Assert.Equal(srTime.AddMilliseconds(-100), earlier, TimeSpan.FromMilliseconds(1));

        Assert.True(map.TryGetRtpTimestamp(NtpTime.FromDateTimeOffset(srTime.AddSeconds(3)), out uint rtp));
        Assert.InRange((int)(rtp - (srRtp + 270000)), -1, 1);
    }
}
