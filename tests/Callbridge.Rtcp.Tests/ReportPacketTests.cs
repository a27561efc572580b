using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class ReportPacketTests
{
    // RFC 3550 §6.4.1 SR with one report block and no extension: length = 12 words.
    internal static readonly byte[] SenderReportBytes = Hex.Bytes("""
        81 C8 00 0C
        11 22 33 44
        E9 1C 2B 3A 80 00 00 00
        00 01 5F 90
        00 00 00 0A
        00 00 03 E8
        55 66 77 88
        19 FF FF FE
        00 01 00 05
        00 00 00 20
        2B 3A 80 00
        00 01 80 00
        """);

    [Fact]
    public void ParsesSenderReportFromTheDiagram()
    {
        Assert.Equal(RtcpError.None, SenderReport.TryParse(SenderReportBytes, out var sr, out int consumed));
        Assert.Equal(52, consumed);
        Assert.Equal(0x11223344u, sr.Ssrc);
        Assert.Equal(0xE91C2B3A80000000UL, sr.NtpTimestamp);
        Assert.Equal(90000u, sr.RtpTimestamp);
        Assert.Equal(10u, sr.PacketCount);
        Assert.Equal(1000u, sr.OctetCount);
        Assert.Equal(1, sr.ReportBlocks.Count);
        var block = sr.ReportBlocks[0];
        Assert.Equal(0x55667788u, block.Ssrc);
        Assert.Equal(0x19, block.FractionLost);
        Assert.Equal(-2, block.CumulativeLost); // 24-bit two's complement 0xFFFFFE
        Assert.Equal(0x00010005u, block.ExtendedHighestSequenceNumber);
        Assert.Equal(32u, block.Jitter);
        Assert.Equal(0x2B3A8000u, block.LastSenderReport);
        Assert.Equal(0x18000u, block.DelaySinceLastSenderReport);
        Assert.True(sr.ProfileExtension.IsEmpty);

        var written = new byte[sr.GetSerializedLength()];
        Assert.Equal(52, sr.WriteTo(written));
        Assert.Equal(SenderReportBytes, written);
    }

    [Fact]
    public void WritesReceiverReportFromCallerBlocksAndReadsItBack()
    {
        ReportBlock[] blocks =
        [
            new(1, 0, 5, 70000, 12, 0xAABBCCDD, 65536),
            new(2, 255, ReportBlock.MaxCumulativeLost + 10, 1, 0, 0, 0),
        ];
        var rr = new ReceiverReport { Ssrc = 99, ReportBlocks = ReportBlockList.From(blocks), ProfileExtension = [1, 2, 3, 4] };
        var buffer = new byte[rr.GetSerializedLength()];
        Assert.Equal(4 + 4 + 48 + 4, rr.WriteTo(buffer));
        Assert.Equal(0x82, buffer[0]);
        Assert.Equal(201, buffer[1]);

        Assert.Equal(RtcpError.None, ReceiverReport.TryParse(buffer, out var parsed, out int consumed));
        Assert.Equal(buffer.Length, consumed);
        Assert.Equal(99u, parsed.Ssrc);
        Assert.Equal(2, parsed.ReportBlocks.Count);
        Assert.Equal(blocks[0], parsed.ReportBlocks[0]);
        // The 24-bit field saturates rather than wrapping.
        Assert.Equal(ReportBlock.MaxCumulativeLost, parsed.ReportBlocks[1].CumulativeLost);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, parsed.ProfileExtension.ToArray());
    }

    [Fact]
    public void ReportCountLargerThanBodyIsRejected()
    {
        // RR claiming 2 blocks with room for one.
        var bytes = Hex.Bytes("82 C9 00 07 00 00 00 01" + string.Concat(Enumerable.Repeat("00", 24)));
        Assert.Equal(RtcpError.BodyTooShort, ReceiverReport.TryParse(bytes, out _, out int consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void WrongTypeAndVersionAreReported()
    {
        Assert.Equal(RtcpError.WrongPacketType, ReceiverReport.TryParse(SenderReportBytes, out _, out _));
        var v1 = (byte[])SenderReportBytes.Clone();
        v1[0] = 0x41;
        Assert.Equal(RtcpError.UnsupportedVersion, SenderReport.TryParse(v1, out _, out _));
    }

    [Fact]
    public void PaddingIsExcludedFromTheBody()
    {
        // RR, no blocks, 4 bytes of padding (P=1, last byte 4).
        var bytes = Hex.Bytes("A0 C9 00 02 00 00 00 07 00 00 00 04");
        Assert.Equal(RtcpError.None, ReceiverReport.TryParse(bytes, out var rr, out int consumed));
        Assert.Equal(12, consumed);
        Assert.Equal(7u, rr.Ssrc);
        Assert.True(rr.ProfileExtension.IsEmpty);

        var bad = Hex.Bytes("A0 C9 00 02 00 00 00 07 00 00 00 00");
        Assert.Equal(RtcpError.InvalidPadding, ReceiverReport.TryParse(bad, out _, out _));
    }
}
