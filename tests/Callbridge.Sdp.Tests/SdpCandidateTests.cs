namespace Callbridge.Sdp.Tests;

public class SdpCandidateTests
{
    [Theory]
    [InlineData("842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 198.18.0.2 rport 46154 generation 0 ufrag Pq3v network-cost 999")]
    [InlineData("1467250027 1 tcp 1518280447 198.18.0.2 9 typ host tcptype active generation 0")]
    [InlineData("3897796008 1 udp 2113937151 dadd7978-7e53-4ba3-a293-a8518a2f881f.local 49573 typ host generation 0 network-cost 999")]
    [InlineData("1 1 UDP 2015363327 198.18.0.1 20112 typ host")]
    [InlineData("abc+/ 2 udp 16777215 2001:db8::1 3478 typ relay raddr 0.0.0.0 rport 0")]
    public void ValidCandidates_RoundTrip(string value)
    {
        Assert.True(SdpCandidate.TryParse(value, out SdpCandidate? candidate));
        Assert.Equal(value, candidate!.ToString());
        Assert.True(SdpCandidate.TryParse("candidate:" + value, out SdpCandidate? prefixed));
        Assert.Equal(candidate, prefixed);
    }

    [Fact]
    public void RelatedAddressAndExtensions_AreTyped()
    {
        Assert.True(SdpCandidate.TryParse("842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 198.18.0.2 rport 46155 generation 0", out SdpCandidate? c));
        Assert.Equal("srflx", c!.Type);
        Assert.Equal("198.18.0.2", c.RelatedAddress);
        Assert.Equal(46155, c.RelatedPort);
        Assert.Equal([new("generation", "0")], c.Extensions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 1 udp 1 198.18.0.1 20112")] // no typ
    [InlineData("1 1 udp 1 198.18.0.1 20112 type host")]
    [InlineData("1 0 udp 1 198.18.0.1 20112 typ host")] // component 0
    [InlineData("1 1 udp 4294967296 198.18.0.1 20112 typ host")] // priority > 2^32-1
    [InlineData("1 1 udp 1 198.18.0.1 65536 typ host")]
    [InlineData("1 1 udp -1 198.18.0.1 1 typ host")]
    [InlineData("f@o 1 udp 1 198.18.0.1 1 typ host")] // foundation outside ice-char
    [InlineData("123456789012345678901234567890123 1 udp 1 198.18.0.1 1 typ host")] // 33 chars
    [InlineData("1 1 udp 1 198.18.0.1 1 typ host generation")] // extension without value
    [InlineData("1 1 udp 1 198.18.0.1 1 typ host raddr")]
    [InlineData("1 1 udp 1 198.18.0.1 1 typ srflx raddr 1.2.3.4 rport x")]
    [InlineData("1  1 udp 1 198.18.0.1 1 typ host")] // double space
    public void InvalidCandidates_AreRefused(string value) => Assert.False(SdpCandidate.TryParse(value, out _));
}
