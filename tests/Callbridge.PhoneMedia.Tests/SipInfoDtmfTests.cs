using System.Text;

namespace Callbridge.PhoneMedia.Tests;

public sealed class SipInfoDtmfTests
{
    private static SipInfoDtmfError Parse(string? contentType, string body, out DtmfDigit digit) =>
        SipInfoDtmf.TryParse(contentType, Encoding.ASCII.GetBytes(body), out digit);

    [Theory]
    [InlineData("Signal=5\r\nDuration=160\r\n", '5', 160)]
    [InlineData("Signal= #\r\nDuration= 250", '#', 250)]
    [InlineData("signal=*\nduration=100\n", '*', 100)]
    [InlineData("Signal=11\r\nDuration=80\r\n", '#', 80)]
    [InlineData("Signal=10\r\n", '*', 0)]
    [InlineData("Signal=d\r\nDuration=100\r\n", 'D', 100)]
    public void Dtmf_relay_bodies_give_the_key_and_duration(string body, char key, int durationMs)
    {
        Assert.Equal(SipInfoDtmfError.None, Parse("application/dtmf-relay", body, out DtmfDigit digit));
        Assert.Equal(new DtmfDigit(key, TimeSpan.FromMilliseconds(durationMs), DtmfSource.SipInfo), digit);
    }

    [Theory]
    [InlineData("application/dtmf", "7", '7')]
    [InlineData("Application/DTMF; charset=us-ascii", "#\r\n", '#')]
    [InlineData("application/dtmf", "11", '#')]
    public void Dtmf_bodies_give_the_key(string contentType, string body, char key)
    {
        Assert.Equal(SipInfoDtmfError.None, Parse(contentType, body, out DtmfDigit digit));
        Assert.Equal(key, digit.Digit);
    }

    [Theory]
    [InlineData("application/sdp", "Signal=5", SipInfoDtmfError.UnsupportedContentType)]
    [InlineData(null, "Signal=5", SipInfoDtmfError.UnsupportedContentType)]
    [InlineData("application/dtmf-relay", "Duration=160", SipInfoDtmfError.MissingSignal)]
    [InlineData("application/dtmf-relay", "Signal=X", SipInfoDtmfError.InvalidSignal)]
    [InlineData("application/dtmf-relay", "Signal=16", SipInfoDtmfError.InvalidSignal)]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=-3", SipInfoDtmfError.InvalidDuration)]
    [InlineData("application/dtmf-relay", "Signal=5\r\nDuration=1x", SipInfoDtmfError.InvalidDuration)]
    [InlineData("application/dtmf", "  ", SipInfoDtmfError.MissingSignal)]
    [InlineData("application/dtmf", "55", SipInfoDtmfError.InvalidSignal)]
    public void Malformed_bodies_give_typed_errors(string? contentType, string body, SipInfoDtmfError expected) =>
        Assert.Equal(expected, Parse(contentType, body, out _));

    [Fact]
    public void Oversized_body_is_refused()
    {
        Assert.Equal(SipInfoDtmfError.TooLong, Parse("application/dtmf-relay", "Signal=5\r\n" + new string(' ', 2000), out _));
    }

    [Fact]
    public void Fuzz_100000_random_and_mutated_bodies_give_only_typed_results()
    {
        var random = new Random(6086);
        byte[][] seeds = [Encoding.ASCII.GetBytes("Signal=5\r\nDuration=160\r\n"), Encoding.ASCII.GetBytes("#")];
        string[] types = ["application/dtmf-relay", "application/dtmf"];
        var buffer = new byte[64];
        for (int i = 0; i < 100_000; i++)
        {
            int which = random.Next(2);
            int length;
            if (i % 3 == 0)
            {
                length = random.Next(buffer.Length + 1);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                byte[] seed = seeds[which];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                for (int m = random.Next(1, 4); m > 0; m--)
                {
                    buffer[random.Next(length)] = (byte)random.Next(256);
                }

                length = random.Next(length + 1);
            }

            SipInfoDtmfError error = SipInfoDtmf.TryParse(types[which], buffer.AsSpan(0, length), out DtmfDigit digit);
            Assert.True(Enum.IsDefined(error));
            Assert.True(error != SipInfoDtmfError.None || "0123456789*#ABCD".Contains(digit.Digit, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData('5', 100, "Signal=5\r\nDuration=100\r\n")]
    [InlineData('#', 250, "Signal=#\r\nDuration=250\r\n")]
    [InlineData('d', 0, "Signal=D\r\nDuration=0\r\n")]
    [InlineData('*', 90_000, "Signal=*\r\nDuration=60000\r\n")]
    public void Relay_bodies_are_written_as_read(char key, int durationMs, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(durationMs);
        Assert.Equal(expected.Length, SipInfoDtmf.GetRelayLength(key, duration));
        var buffer = new byte[64];
        int written = SipInfoDtmf.WriteRelay(key, duration, buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, written));
        Assert.Equal(SipInfoDtmfError.None, SipInfoDtmf.TryParse(SipInfoDtmf.DtmfRelayContentType, buffer.AsSpan(0, written), out DtmfDigit digit));
        Assert.Equal(char.ToUpperInvariant(key), digit.Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(Math.Min(durationMs, 60_000)), digit.Duration);
    }

    [Fact]
    public void Relay_writer_refuses_non_keys_and_short_buffers()
    {
        Assert.Equal(0, SipInfoDtmf.GetRelayLength('w', TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, SipInfoDtmf.WriteRelay('E', TimeSpan.FromMilliseconds(100), new byte[64]));
        Assert.Equal(0, SipInfoDtmf.WriteRelay('5', TimeSpan.FromMilliseconds(100), new byte[10]));
    }
}
