namespace Callbridge.Stun.Tests;

public class Rfc7983DemultiplexerTests
{
    [Theory]
    [InlineData(0, Rfc7983PacketKind.Stun)]
    [InlineData(3, Rfc7983PacketKind.Stun)]
    [InlineData(4, Rfc7983PacketKind.Unknown)]
    [InlineData(16, Rfc7983PacketKind.Zrtp)]
    [InlineData(20, Rfc7983PacketKind.Dtls)]
    [InlineData(22, Rfc7983PacketKind.Dtls)]
    [InlineData(63, Rfc7983PacketKind.Dtls)]
    [InlineData(64, Rfc7983PacketKind.TurnChannel)]
    [InlineData(79, Rfc7983PacketKind.TurnChannel)]
    [InlineData(80, Rfc7983PacketKind.Unknown)]
    [InlineData(127, Rfc7983PacketKind.Unknown)]
    [InlineData(128, Rfc7983PacketKind.RtpOrRtcp)]
    [InlineData(191, Rfc7983PacketKind.RtpOrRtcp)]
    [InlineData(192, Rfc7983PacketKind.Unknown)]
    [InlineData(255, Rfc7983PacketKind.Unknown)]
    public void ClassifiesFirstByte(byte first, Rfc7983PacketKind expected)
    {
        Assert.Equal(expected, Rfc7983Demultiplexer.Classify(first));
        Assert.Equal(expected, Rfc7983Demultiplexer.Classify([first, 0, 0]));
    }

    [Fact]
    public void EmptyDatagram_IsUnknown() => Assert.Equal(Rfc7983PacketKind.Unknown, Rfc7983Demultiplexer.Classify(ReadOnlySpan<byte>.Empty));
}
