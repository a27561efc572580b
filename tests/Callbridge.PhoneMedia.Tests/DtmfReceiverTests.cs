namespace Callbridge.PhoneMedia.Tests;

public sealed class DtmfReceiverTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<DtmfDigit> _digits = [];
    private readonly DtmfReceiver _receiver;

    public DtmfReceiverTests() => _receiver = new DtmfReceiver(_time);

    private void Packet(byte code, bool end, ushort duration, uint timestamp, bool marker = false)
    {
        Span<byte> payload = stackalloc byte[4];
        new TelephoneEvent(code, end, 10, duration).WriteTo(payload);
        Span<DtmfDigit> output = stackalloc DtmfDigit[2];
        int n = _receiver.OnPacket(payload, timestamp, marker, _time.GetTimestamp(), output);
        for (int i = 0; i < n; i++)
        {
            _digits.Add(output[i]);
        }

        _time.Advance(TimeSpan.FromMilliseconds(20));
    }

    /// <summary>An event as RFC 4733 §2.5.1 sends it: start with marker, updates, the end three times.</summary>
    private void Event(byte code, uint timestamp, int updates = 5)
    {
        for (int i = 1; i <= updates; i++)
        {
            Packet(code, false, (ushort)(i * 160), timestamp, marker: i == 1);
        }

        for (int i = 0; i < 3; i++)
        {
            Packet(code, true, (ushort)((updates + 1) * 160), timestamp);
        }
    }

    [Fact]
    public void One_event_with_three_end_packets_is_one_digit_with_its_duration()
    {
        Event(5, 1000);

        DtmfDigit digit = Assert.Single(_digits);
        Assert.Equal('5', digit.Digit);
        Assert.Equal(TimeSpan.FromMilliseconds(120), digit.Duration);
        Assert.Equal(DtmfSource.Rfc4733, digit.Source);
        Assert.Equal(2, _receiver.Duplicates);
    }

    [Fact]
    public void Consecutive_events_are_reported_in_order()
    {
        Event(1, 1000);
        Event(2, 3000);
        Event(11, 5000);
        Event(10, 7000);

        Assert.Equal("12#*", new string(_digits.Select(d => d.Digit).ToArray()));
    }

    [Fact]
    public void Same_key_twice_at_the_same_timestamp_is_two_digits_when_the_second_starts_with_a_marker()
    {
        // Replayed recordings (sipp's pcaps) repeat timestamp and sequence numbers for every press.
        Event(2, 13280);
        Event(2, 13280);

        Assert.Equal("22", new string(_digits.Select(d => d.Digit).ToArray()));
    }

    [Fact]
    public void Lost_end_packets_close_the_event_when_the_next_one_starts()
    {
        Packet(7, false, 160, 100, marker: true);
        Packet(7, false, 320, 100);
        Event(8, 2000);

        Assert.Equal("78", new string(_digits.Select(d => d.Digit).ToArray()));
        Assert.Equal(TimeSpan.FromMilliseconds(40), _digits[0].Duration);
    }

    [Fact]
    public void Lost_end_packets_close_the_event_after_the_timeout()
    {
        Packet(9, false, 160, 100, marker: true);

        Assert.False(_receiver.TryExpire(_time.GetTimestamp(), out _));
        _time.Advance(DtmfReceiver.EndTimeout);
        Assert.True(_receiver.TryExpire(_time.GetTimestamp(), out DtmfDigit digit));
        Assert.Equal('9', digit.Digit);
        Assert.False(_receiver.TryExpire(_time.GetTimestamp(), out _));
    }

    [Fact]
    public void Lost_start_still_reports_the_digit_once_from_its_end_packets()
    {
        for (int i = 0; i < 3; i++)
        {
            Packet(0, true, 800, 4000);
        }

        Assert.Equal('0', Assert.Single(_digits).Digit);
    }

    [Fact]
    public void Non_dtmf_events_are_not_digits()
    {
        Event(32, 1000);
        Event(255, 2000);

        Assert.Empty(_digits);
    }
}
