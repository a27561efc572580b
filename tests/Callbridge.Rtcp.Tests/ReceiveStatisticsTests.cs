using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class ReceiveStatisticsTests
{
    [Fact]
    public void CountsLossFractionAndExtendedSequenceAcrossWrap()
    {
        var time = new ManualTimeProvider();
        var stats = new ReceiveStatistics(0xABC, 48000, time);
        uint ts = 0;
        // 65530..65535, 0..13 with 4 packets missing (65533, 2, 3, 10): 20 expected, 16 received.
        ushort seq = 65530;
        for (int i = 0; i < 20; i++, seq++, ts += 960)
        {
            if (seq is not (65533 or 2 or 3 or 10))
            {
                stats.OnPacket(seq, ts);
            }

            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        var block = stats.CreateReportBlock();
        Assert.Equal(0xABCu, block.Ssrc);
        Assert.Equal(4, block.CumulativeLost);
        // fraction = lost * 256 / expected = 4 * 256 / 20 = 51.
        Assert.Equal(51, block.FractionLost);
        Assert.Equal(0x0001000Du, block.ExtendedHighestSequenceNumber);
        // Constant spacing equal to the timestamp spacing: no jitter.
        Assert.Equal(0u, block.Jitter);

        // Next interval: 10 in order, no loss. A late duplicate counts as received (§A.3).
        for (int i = 0; i < 10; i++, seq++, ts += 960)
        {
            stats.OnPacket(seq, ts);
        }

        block = stats.CreateReportBlock();
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(4, block.CumulativeLost);
    }

    [Fact]
    public void JitterFollowsRfc3550A8()
    {
        var time = new ManualTimeProvider();
        var stats = new ReceiveStatistics(1, 8000, time);
        // Packets every 20 ms of media (160 units) arriving alternately 30 ms and 10 ms apart: |D| = 10 ms = 80 units each time.
        uint ts = 0;
        double expected = 0;
        for (int i = 0; i < 200; i++, ts += 160)
        {
            stats.OnPacket((ushort)i, ts);
            if (i > 0)
            {
                expected += (80 - expected) / 16;
            }

            time.Advance(TimeSpan.FromMilliseconds(i % 2 == 0 ? 30 : 10));
        }

        var block = stats.CreateReportBlock();
        Assert.InRange(block.Jitter, (uint)expected - 2, (uint)expected + 1);
        Assert.InRange(block.Jitter, 75u, 80u);
    }

    [Fact]
    public void JitterStaysExactDaysIntoACallWithANanosecondClock()
    {
        // Linux Stopwatch ticks in ns: elapsed * 90000 would pass 2^63 after about 1.2 days.
        var time = new ManualTimeProvider(1_000_000_000);
        var stats = new ReceiveStatistics(1, 90000, time);
        time.Advance(TimeSpan.FromDays(3));
        uint ts = 12345;
        for (int i = 0; i < 100; i++, ts += 3000)
        {
            stats.OnPacket((ushort)i, ts);
            time.Advance(TimeSpan.FromMilliseconds(100.0 / 3));
        }

        Assert.InRange(stats.CreateReportBlock().Jitter, 0u, 1u);
    }

    [Fact]
    public void LsrAndDlsrFromTheLastSenderReport()
    {
        var time = new ManualTimeProvider();
        var stats = new ReceiveStatistics(1, 90000, time);
        stats.OnPacket(1, 0);
        Assert.Equal(0u, stats.CreateReportBlock().LastSenderReport);
        ulong ntp = 0xE91C2B3A_80000000UL;
        stats.OnSenderReport(ntp);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        var block = stats.CreateReportBlock();
        Assert.Equal(0x2B3A8000u, block.LastSenderReport);
        Assert.Equal((uint)(1.5 * 65536), block.DelaySinceLastSenderReport);

        // The sender computes RTT = A - LSR - DLSR: with A = LSR + DLSR + 40 ms it finds 40 ms.
        ulong arrival = ntp + ((ulong)(1.54 * 65536) << 16);
        var rtt = NtpTime.RoundTripTime(arrival, block.LastSenderReport, block.DelaySinceLastSenderReport);
        Assert.InRange(rtt.TotalMilliseconds, 39, 41);
    }

    [Fact]
    public void LargeJumpNeedsTwoSequentialPacketsToRestart()
    {
        var time = new ManualTimeProvider();
        var stats = new ReceiveStatistics(1, 90000, time);
        for (ushort s = 100; s < 110; s++)
        {
            stats.OnPacket(s, 0);
        }

        stats.OnPacket(40000, 0); // one stray packet: ignored
        Assert.Equal(109, stats.ExtendedHighestSequenceNumber);
        stats.OnPacket(20000, 0);
        stats.OnPacket(20001, 0); // confirmed restart
        Assert.Equal(20001, stats.ExtendedHighestSequenceNumber);
        var block = stats.CreateReportBlock();
        Assert.Equal(0, block.CumulativeLost);
    }
}
