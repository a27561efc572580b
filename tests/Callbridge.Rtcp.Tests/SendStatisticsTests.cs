using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class SendStatisticsTests
{
    [Fact]
    public void SenderReportDescribesNowAndMapsBackThroughTheClockMap()
    {
        var time = new ManualTimeProvider();
        var send = new SendStatistics(0xA1, 48000, time);
        uint ts = 1_000_000;
        for (int i = 0; i < 50; i++, ts += 960)
        {
            send.OnPacketSent(ts, 80);
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // Last packet (ts - 960) was sent 20 ms ago; 10 ms more passes.
        time.Advance(TimeSpan.FromMilliseconds(10));
        ReportBlock[] blocks = [new(0xB2, 0, 0, 100, 0, 0, 0)];
        var sr = send.CreateReport(blocks);
        Assert.Equal(0xA1u, sr.Ssrc);
        Assert.Equal(50u, sr.PacketCount);
        Assert.Equal(4000u, sr.OctetCount);
        Assert.Equal(ts - 960 + 1440, sr.RtpTimestamp);
        Assert.Equal(time.GetUtcNow(), NtpTime.ToDateTimeOffset(sr.NtpTimestamp), TimeSpan.FromTicks(1));

        var wire = new byte[sr.GetSerializedLength()];
        sr.WriteTo(wire);
        Assert.Equal(RtcpError.None, SenderReport.TryParse(wire, out var parsed, out _));
        Assert.Equal(1, parsed.ReportBlocks.Count);
        Assert.Equal(blocks[0], parsed.ReportBlocks[0]);

        // A receiver maps the first packet's timestamp to the wall-clock time it was sent.
        var map = new SenderClockMap(48000);
        map.Update(parsed.NtpTimestamp, parsed.RtpTimestamp);
        Assert.True(map.TryGetWallClock(1_000_000, out var firstSent));
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromMilliseconds(1010), firstSent, TimeSpan.FromMilliseconds(1));
    }
}
