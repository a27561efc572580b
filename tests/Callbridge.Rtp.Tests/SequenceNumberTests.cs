using Callbridge.Rtp;

namespace Callbridge.Rtp.Tests;

public class SequenceNumberTests
{
    [Theory]
    [InlineData(65535, 0, 1)]
    [InlineData(0, 65535, -1)]
    [InlineData(100, 200, 100)]
    [InlineData(0, 32767, 32767)]
    [InlineData(0, 32768, -32768)]
    public void DistanceIsWrapAware(int from, int to, int expected) =>
        Assert.Equal(expected, SequenceNumbers.Distance((ushort)from, (ushort)to));

    [Fact]
    public void IsNewerAcrossWrap()
    {
        Assert.True(SequenceNumbers.IsNewer(2, 65530));
        Assert.False(SequenceNumbers.IsNewer(65530, 2));
        Assert.False(SequenceNumbers.IsNewer(7, 7));
    }

    [Fact]
    public void UnwrapperExtendsAcrossWrapsAndKeepsLatePacketsInPlace()
    {
        var u = new SequenceUnwrapper();
        Assert.Equal(65534, u.Unwrap(65534));
        Assert.Equal(65535, u.Unwrap(65535));
        Assert.Equal(65537, u.Unwrap(1));
        Assert.Equal(65536, u.Unwrap(0)); // late, across the wrap
        Assert.Equal(65537, u.Highest);
        long value = 65537;
        for (int i = 0; i < 3 * 65536; i += 1000)
        {
            value += 1000;
            Assert.Equal(value, u.Unwrap((ushort)value));
        }

        // RFC 3550 extended sequence number: cycles << 16 | seq.
        Assert.Equal((uint)value, (uint)((value >> 16) << 16 | (ushort)value));
    }

    [Fact]
    public void UnwrapperPeekDoesNotAdvance()
    {
        var u = new SequenceUnwrapper();
        u.Unwrap(10);
        Assert.Equal(20, u.Peek(20));
        Assert.Equal(10, u.Highest);
    }

    [Fact]
    public void TimestampUnwrapperCrossesTheThirtyTwoBitWrap()
    {
        var u = new TimestampUnwrapper();
        Assert.Equal(uint.MaxValue - 100, u.Unwrap(uint.MaxValue - 100));
        Assert.Equal((long)uint.MaxValue + 861, u.Unwrap(860));
        Assert.Equal(uint.MaxValue - 50, u.Unwrap(uint.MaxValue - 50));
    }
}
