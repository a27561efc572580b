using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class FeedbackPacketTests
{
    [Fact]
    public void GenericNackFromTheDiagram()
    {
        // RFC 4585 §6.2.1: PID 100, BLP 0x0005 = 101 and 103 lost too.
        var bytes = Hex.Bytes("81 CD 00 03 00 00 00 01 00 00 00 02 00 64 00 05");
        Assert.Equal(RtcpError.None, GenericNack.TryParse(bytes, out var nack, out int consumed));
        Assert.Equal(16, consumed);
        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(2u, nack.MediaSsrc);
        Assert.Equal(1, nack.ItemCount);
        Span<ushort> lost = stackalloc ushort[17];
        int n = nack.GetItem(0).GetLost(lost);
        Assert.Equal(new ushort[] { 100, 101, 103 }, lost[..n].ToArray());
    }

    [Fact]
    public void GenericNackFciEncodesSequencesAcrossWrap()
    {
        ushort[] lost = [65534, 65535, 0, 15, 16, 40];
        var fci = new byte[64];
        int length = GenericNack.WriteFci(lost, fci);
        // (65534: +65535, +0), (15: +16), (40): three pairs.
        Assert.Equal(12, length);
        var nack = new GenericNack { SenderSsrc = 1, MediaSsrc = 2, Fci = fci.AsSpan(0, length) };
        var wire = new byte[nack.GetSerializedLength()];
        nack.WriteTo(wire);
        Assert.Equal(RtcpError.None, GenericNack.TryParse(wire, out var parsed, out _));
        var all = new List<ushort>();
        Span<ushort> scratch = stackalloc ushort[17];
        for (int i = 0; i < parsed.ItemCount; i++)
        {
            int n = parsed.GetItem(i).GetLost(scratch);
            all.AddRange(scratch[..n].ToArray());
        }

        Assert.Equal(lost, all);
        Assert.Equal(-1, GenericNack.WriteFci(lost, new byte[4]));
    }

    [Fact]
    public void NackWithoutFciOrWithWrongFormatIsRejected()
    {
        Assert.Equal(RtcpError.BodyTooShort, GenericNack.TryParse(Hex.Bytes("81 CD 00 02 00 00 00 01 00 00 00 02"), out _, out _));
        Assert.Equal(RtcpError.WrongFormat, GenericNack.TryParse(Hex.Bytes("83 CD 00 03 00 00 00 01 00 00 00 02 00 64 00 05"), out _, out _));
    }

    [Fact]
    public void PictureLossIndicationFromTheDiagram()
    {
        var bytes = Hex.Bytes("81 CE 00 02 00 00 00 0A 00 00 00 0B");
        Assert.Equal(RtcpError.None, PictureLossIndication.TryParse(bytes, out var pli, out int consumed));
        Assert.Equal(12, consumed);
        Assert.Equal(new PictureLossIndication(10, 11), pli);
        var wire = new byte[pli.GetSerializedLength()];
        pli.WriteTo(wire);
        Assert.Equal(bytes, wire);
    }

    [Fact]
    public void FullIntraRequestFromTheDiagram()
    {
        // RFC 5104 §4.3.1: FMT 4, media SSRC 0, one entry (SSRC 0x0C, seq 7).
        var bytes = Hex.Bytes("84 CE 00 04 00 00 00 0A 00 00 00 00 00 00 00 0C 07 00 00 00");
        Assert.Equal(RtcpError.None, FullIntraRequest.TryParse(bytes, out var fir, out _));
        Assert.Equal(1, fir.EntryCount);
        Assert.Equal(new FirEntry(12, 7), fir.GetEntry(0));

        FirEntry[] entries = [new(12, 7)];
        var built = new FullIntraRequest { SenderSsrc = 10, Entries = entries };
        var wire = new byte[built.GetSerializedLength()];
        built.WriteTo(wire);
        Assert.Equal(bytes, wire);
    }

    [Fact]
    public void RembEncodesMantissaAndExponent()
    {
        // draft-alvestrand-rmcat-remb §2.2: 1 SSRC, exp 3, mantissa 0x1E848 -> 125000 * 8 = 1,000,000 bps.
        var bytes = Hex.Bytes("8F CE 00 05 00 00 00 01 00 00 00 00 52 45 4D 42 01 0D E8 48 00 00 00 09");
        Assert.Equal(RtcpError.None, ReceiverEstimatedMaxBitrate.TryParse(bytes, out var remb, out _));
        Assert.Equal(1_000_000UL, remb.Bitrate);
        Assert.Equal(1, remb.SsrcCount);
        Assert.Equal(9u, remb.GetSsrc(0));

        var built = new ReceiverEstimatedMaxBitrate { SenderSsrc = 1, Bitrate = 1_000_000, SsrcBytes = [0, 0, 0, 9] };
        var wire = new byte[built.GetSerializedLength()];
        built.WriteTo(wire);
        Assert.Equal(RtcpError.None, ReceiverEstimatedMaxBitrate.TryParse(wire, out var again, out _));
        Assert.Equal(1_000_000UL, again.Bitrate);
    }

    [Fact]
    public void ApplicationFeedbackThatIsNotRembIsRefused()
    {
        var bytes = Hex.Bytes("8F CE 00 04 00 00 00 01 00 00 00 00 41 42 43 44 00 00 00 00");
        Assert.Equal(RtcpError.NotRemb, ReceiverEstimatedMaxBitrate.TryParse(bytes, out _, out _));
        Assert.Equal(RtcpError.None, RtcpHeader.TryParse(bytes, out var header));
        Assert.Equal(RtcpPacketKind.ApplicationLayerFeedback, header.Classify(bytes));
    }
}
