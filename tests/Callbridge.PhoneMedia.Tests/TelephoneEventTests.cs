namespace Callbridge.PhoneMedia.Tests;

public sealed class TelephoneEventTests
{
    [Fact]
    public void Parses_the_end_packet_of_sipp_digit_1()
    {
        // Payload of the last packets in /usr/share/sip-tester/dtmf_2833_1.pcap: event 1, E, volume 10, duration 0x08c0.
        byte[] payload = [0x01, 0x8a, 0x08, 0xc0];

        Assert.Equal(TelephoneEventParseError.None, TelephoneEvent.TryParse(payload, out TelephoneEvent e, out int consumed));

        Assert.Equal(4, consumed);
        Assert.Equal(new TelephoneEvent(1, true, 10, 2240), e);
    }

    [Fact]
    public void Write_then_parse_round_trips_and_clears_the_reserved_bit()
    {
        var e = new TelephoneEvent(11, false, 63, 65535);
        Span<byte> buffer = stackalloc byte[e.GetSerializedLength()];

        e.WriteTo(buffer);

        Assert.Equal(0, buffer[1] & 0x40);
        TelephoneEvent.TryParse(buffer, out TelephoneEvent back, out _);
        Assert.Equal(e, back);
    }

    [Fact]
    public void Short_payload_is_a_typed_error()
    {
        Assert.Equal(TelephoneEventParseError.TooShort, TelephoneEvent.TryParse([1, 2, 3], out _, out int consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Fuzz_100000_random_and_mutated_payloads_give_only_typed_results()
    {
        var random = new Random(4733);
        byte[] seed = [0x05, 0x0a, 0x01, 0x40, 0x05, 0x8a, 0x03, 0x20];
        var buffer = new byte[16];
        var written = new byte[4];
        for (int i = 0; i < 100_000; i++)
        {
            int length = random.Next(0, buffer.Length + 1);
            if (i % 2 == 0)
            {
                random.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                seed.CopyTo(buffer, 0);
                buffer[random.Next(seed.Length)] ^= (byte)(1 << random.Next(8));
                length = random.Next(0, seed.Length + 1);
            }

            TelephoneEventParseError error = TelephoneEvent.TryParse(buffer.AsSpan(0, length), out TelephoneEvent e, out int consumed);
            Assert.True(error == TelephoneEventParseError.None ? consumed == 4 && length >= 4 : error == TelephoneEventParseError.TooShort && consumed == 0);
            if (error == TelephoneEventParseError.None)
            {
                e.WriteTo(written);
                Assert.True(written[0] == buffer[0] && written[2] == buffer[2] && written[3] == buffer[3]);
            }
        }
    }
}
