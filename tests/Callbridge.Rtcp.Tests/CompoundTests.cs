using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class CompoundTests
{
    private static byte[] BuildCompound()
    {
        // SR + SDES + PLI + TWCC (kept raw) + an unknown type 210 + BYE.
        var twcc = Hex.Bytes("8F CD 00 04 00 00 00 01 00 00 00 02 00 01 00 02 00 00 01 00");
        var unknown = Hex.Bytes("80 D2 00 01 DE AD BE EF");
        var bye = Hex.Bytes("81 CB 00 01 11 22 33 44");
        var pli = Hex.Bytes("81 CE 00 02 00 00 00 0A 00 00 00 0B");
        return [.. ReportPacketTests.SenderReportBytes, .. DescriptionPacketTests.SdesBytes, .. pli, .. twcc, .. unknown, .. bye];
    }

    [Fact]
    public void IteratesEveryPacketWithItsKind()
    {
        var compound = BuildCompound();
        var kinds = new List<RtcpPacketKind>();
        var e = new RtcpCompoundEnumerator(compound);
        while (e.MoveNext())
        {
            kinds.Add(e.CurrentKind);
            switch (e.CurrentKind)
            {
                case RtcpPacketKind.SenderReport:
                    Assert.Equal(RtcpError.None, SenderReport.TryParse(e.CurrentPacket, out var sr, out _));
                    Assert.Equal(0x11223344u, sr.Ssrc);
                    break;
                case RtcpPacketKind.TransportWideFeedback:
                case RtcpPacketKind.Unknown:
                    Assert.Equal(RtcpError.None, RawRtcpPacket.TryParse(e.CurrentPacket, out var raw, out int consumed));
                    Assert.Equal(e.CurrentPacket.Length, consumed);
                    var copy = new byte[raw.GetSerializedLength()];
                    raw.WriteTo(copy);
                    Assert.Equal(e.CurrentPacket.ToArray(), copy);
                    break;
            }
        }

        Assert.Equal(RtcpError.None, e.Error);
        Assert.Equal(
            [RtcpPacketKind.SenderReport, RtcpPacketKind.SourceDescription, RtcpPacketKind.PictureLossIndication,
             RtcpPacketKind.TransportWideFeedback, RtcpPacketKind.Unknown, RtcpPacketKind.Goodbye],
            kinds);
    }

    [Fact]
    public void EveryPrefixStopsAtTheTruncatedPacketWithATypedError()
    {
        var compound = BuildCompound();
        // Packet boundaries.
        var ends = new List<int>();
        var e = new RtcpCompoundEnumerator(compound);
        while (e.MoveNext())
        {
            ends.Add(e.CurrentOffset + e.CurrentPacket.Length);
        }

        for (int length = 0; length < compound.Length; length++)
        {
            var prefix = compound.AsSpan(0, length);
            var it = new RtcpCompoundEnumerator(prefix);
            int complete = 0;
            while (it.MoveNext())
            {
                complete++;
            }

            int expectedComplete = ends.Count(end => end <= length);
            Assert.Equal(expectedComplete, complete);
            bool atBoundary = length == 0 || ends.Contains(length);
            if (atBoundary)
            {
                Assert.Equal(RtcpError.None, it.Error);
            }
            else
            {
                Assert.Contains(it.Error, new[] { RtcpError.TooShort, RtcpError.Truncated });
            }

            // Each type's parser on the prefix of its own packet: never throws, never succeeds short.
            int start = expectedComplete == 0 ? 0 : ends[expectedComplete - 1];
            var partial = prefix[start..];
            if (!atBoundary)
            {
                Assert.NotEqual(RtcpError.None, SenderReport.TryParse(partial, out _, out _));
                Assert.NotEqual(RtcpError.None, SourceDescription.TryParse(partial, out _, out _));
                Assert.NotEqual(RtcpError.None, PictureLossIndication.TryParse(partial, out _, out _));
                Assert.NotEqual(RtcpError.None, RawRtcpPacket.TryParse(partial, out _, out _));
                Assert.NotEqual(RtcpError.None, Goodbye.TryParse(partial, out _, out _));
            }
        }
    }
}
