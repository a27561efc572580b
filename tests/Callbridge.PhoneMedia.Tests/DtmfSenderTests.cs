namespace Callbridge.PhoneMedia.Tests;

public sealed class DtmfSenderTests
{
    private sealed record Sent(bool IsEvent, TelephoneEvent Event, bool Marker, uint Timestamp);

    private static List<Sent> Run(DtmfSender sender, int ticks, uint startTimestamp = 1000)
    {
        var result = new List<Sent>();
        var payload = new byte[4];
        for (int i = 0; i < ticks; i++)
        {
            uint tick = startTimestamp + (uint)(i * 160);
            bool isEvent = sender.TryNext(tick, payload, out bool marker, out uint timestamp);
            TelephoneEvent.TryParse(payload, out TelephoneEvent e, out _);
            result.Add(new Sent(isEvent, isEvent ? e : default, marker, timestamp));
        }

        return result;
    }

    [Fact]
    public void A_100_ms_digit_is_a_marked_start_updates_and_three_end_packets_at_one_timestamp()
    {
        var sender = new DtmfSender(160);
        sender.Enqueue(11, 800);

        List<Sent> sent = Run(sender, 10);

        Assert.Equal([true, true, true, true, true, true, true, false, false, false], sent.Select(s => s.IsEvent));
        Assert.Equal([true, false, false, false, false, false, false], sent.Take(7).Select(s => s.Marker));
        Assert.All(sent.Take(7), s => Assert.Equal(1000u, s.Timestamp));
        Assert.All(sent.Take(7), s => Assert.Equal(11, s.Event.Event));
        Assert.Equal([160, 320, 480, 640, 800, 800, 800], sent.Take(7).Select(s => (int)s.Event.Duration));
        Assert.Equal([false, false, false, false, true, true, true], sent.Take(7).Select(s => s.Event.End));
        Assert.Equal(1, sender.EventsSent);
    }

    [Fact]
    public void Digits_are_separated_by_a_pause_and_get_their_own_timestamps()
    {
        var sender = new DtmfSender(160);
        sender.Enqueue(1, 320);
        sender.Enqueue(2, 320);

        List<Sent> sent = Run(sender, 12);

        // 1: start(160), end x3 (320) = 4 packets; 2 ticks of audio; 2: 4 packets.
        Assert.Equal([true, true, true, true, false, false, true, true, true, true, false, false], sent.Select(s => s.IsEvent));
        Assert.Equal(1000u, sent[0].Timestamp);
        Assert.Equal(1000u + (6 * 160), sent[6].Timestamp);
        Assert.True(sent[6].Marker);
        Assert.True(sender.IsIdle);
    }

    [Fact]
    public void Sent_packets_decode_back_to_the_same_digits()
    {
        var sender = new DtmfSender(160);
        foreach (char c in "1234567890*#ABCD")
        {
            Assert.True(DtmfEvents.TryGetEvent(c, out byte code));
            sender.Enqueue(code, 800);
        }

        var time = new ManualTimeProvider();
        var receiver = new DtmfReceiver(time);
        var digits = new List<char>();
        var payload = new byte[4];
        var output = new DtmfDigit[2];
        for (int i = 0; i < 200; i++)
        {
            if (sender.TryNext((uint)(i * 160), payload, out bool marker, out uint timestamp))
            {
                int n = receiver.OnPacket(payload, timestamp, marker, time.GetTimestamp(), output);
                digits.AddRange(output.Take(n).Select(d => d.Digit));
            }
        }

        Assert.Equal("1234567890*#ABCD", new string([.. digits]));
    }
}
