using System.Text;
using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

/// <summary>RTCP compounds captured from ffmpeg 5.1's RTP muxer (-cname cb -rtpflags send_bye) on loopback.</summary>
public class CapturedCompoundTests
{
    private static readonly byte[] First = Convert.FromHexString("80c800065d997bd7eead0c89b851eb85b45ced00000000000000000081ca00035d997bd70102636200000000");
    private static readonly byte[] Last = Convert.FromHexString("80c800065d997bd7eead0c89b8d4fdf3b45ced60000000060000015681ca00035d997bd7010263620000000081cb00015d997bd7");

    [Fact]
    public void ParsesSenderReportSdesAndBye()
    {
        var kinds = new List<RtcpPacketKind>();
        ulong firstNtp = 0;
        uint firstRtp = 0;
        foreach (var datagram in new[] { First, Last })
        {
            var e = new RtcpCompoundEnumerator(datagram);
            while (e.MoveNext())
            {
                kinds.Add(e.CurrentKind);
                if (e.CurrentKind == RtcpPacketKind.SenderReport)
                {
                    Assert.Equal(RtcpError.None, SenderReport.TryParse(e.CurrentPacket, out var sr, out _));
                    Assert.Equal(0x5d997bd7u, sr.Ssrc);
                    Assert.Equal(0, sr.ReportBlocks.Count);
                    if (firstNtp == 0)
                    {
                        firstNtp = sr.NtpTimestamp;
                        firstRtp = sr.RtpTimestamp;
                        Assert.Equal(0u, sr.PacketCount);
                        // The capture was made on 2026-11-22.
                        Assert.Equal(new DateTime(2026, 11, 22), NtpTime.ToDateTimeOffset(sr.NtpTimestamp).UtcDateTime.Date);
                    }
                    else
                    {
                        Assert.Equal(6u, sr.PacketCount);
                        Assert.Equal(0x156u, sr.OctetCount);
                        // Both SRs lie on one NTP/RTP line at 48 kHz.
                        var map = new SenderClockMap(48000);
                        map.Update(firstNtp, firstRtp);
                        Assert.True(map.TryGetNtp(sr.RtpTimestamp, out ulong mapped));
                        Assert.InRange(Math.Abs((NtpTime.ToDateTimeOffset(mapped) - NtpTime.ToDateTimeOffset(sr.NtpTimestamp)).TotalMilliseconds), 0, 1);
                    }
                }
                else if (e.CurrentKind == RtcpPacketKind.SourceDescription)
                {
                    Assert.Equal(RtcpError.None, SourceDescription.TryParse(e.CurrentPacket, out var sdes, out _));
                    var chunks = sdes.GetChunks();
                    Assert.True(chunks.MoveNext());
                    Assert.True(chunks.Current.TryGetItem(SdesItemType.CName, out var cname));
                    Assert.Equal("cb", Encoding.ASCII.GetString(cname));
                }
                else if (e.CurrentKind == RtcpPacketKind.Goodbye)
                {
                    Assert.Equal(RtcpError.None, Goodbye.TryParse(e.CurrentPacket, out var bye, out _));
                    Assert.Equal(0x5d997bd7u, bye.GetSsrc(0));
                    Assert.True(bye.Reason.IsEmpty);
                }
            }

            Assert.Equal(RtcpError.None, e.Error);
        }

        Assert.Equal(
            [RtcpPacketKind.SenderReport, RtcpPacketKind.SourceDescription, RtcpPacketKind.SenderReport, RtcpPacketKind.SourceDescription, RtcpPacketKind.Goodbye],
            kinds);
    }
}
