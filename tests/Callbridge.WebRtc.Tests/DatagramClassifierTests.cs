namespace Callbridge.WebRtc.Tests;

/// <summary>RFC 7983 §7 first-byte ranges and the RFC 5761 §4 RTP/RTCP split.</summary>
public class DatagramClassifierTests
{
    [Theory]
    [InlineData(0x00, 0x01, "Stun")]
    [InlineData(0x01, 0x01, "Stun")]
    [InlineData(0x03, 0x00, "Stun")]
    [InlineData(16, 0x00, "ZrtpOrOther")]
    [InlineData(20, 0xFE, "Dtls")]
    [InlineData(22, 0xFE, "Dtls")]
    [InlineData(63, 0x00, "Dtls")]
    [InlineData(64, 0x00, "Turn")]
    [InlineData(79, 0x00, "Turn")]
    [InlineData(0x80, 111, "Rtp")]
    [InlineData(0x80, 96 | 0x80, "Rtp")]
    [InlineData(0x90, 0x60, "Rtp")]
    [InlineData(0x80, 200, "Rtcp")]
    [InlineData(0x81, 201, "Rtcp")]
    [InlineData(0x81, 206, "Rtcp")]
    [InlineData(0x80, 192, "Rtcp")]
    [InlineData(0x80, 223, "Rtcp")]
    [InlineData(191, 0, "Rtp")]
    [InlineData(192, 0, "Unknown")]
    [InlineData(4, 0, "Unknown")]
    [InlineData(100, 0, "Unknown")]
    public void Classifies_by_first_byte_then_rtcp_packet_type(byte first, byte second, string expected)
    {
        Assert.Equal(Enum.Parse<DatagramKind>(expected), DatagramClassifier.Classify([first, second, 0, 0]));
    }

    [Fact]
    public void Empty_datagram_is_unknown_and_one_byte_rtp_range_is_rtp()
    {
        Assert.Equal(DatagramKind.Unknown, DatagramClassifier.Classify([]));
        Assert.Equal(DatagramKind.Rtp, DatagramClassifier.Classify([0x80]));
    }
}
