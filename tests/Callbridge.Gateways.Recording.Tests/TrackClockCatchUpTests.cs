namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The first sender report moves a track's timeline back: no frame may land before one already written.</summary>
public sealed class TrackClockCatchUpTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_backward_move_is_caught_up_a_quarter_step_per_frame_keeping_order_then_follows_the_report_exactly()
    {
        var clock = new TrackClock();
        var participant = new ParticipantClock();
        DateTimeOffset sender = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);
        // The first frame arrived 100 ms late (at 1.1 s): frames 0..49 are placed from it, 20 ms apart.
        var times = new List<TimeSpan>();
        for (int i = 0; i < 50; i++) times.Add(clock.Map(1, (uint)(960 * i), 48000, null, TimeSpan.FromSeconds(1.1 + (0.02 * i)), Start, participant));
        Assert.Equal(TimeSpan.FromSeconds(1.1), times[0]);
        Assert.Equal(TimeSpan.FromSeconds(2.08), times[49]);

        // Frame 50 brings the first sender time; its sender-anchored place is 1.0 s + 50 x 20 ms = 2.0 s (arrival 2.0 s).
        participant.SenderOffset = Start + TimeSpan.FromSeconds(1) - sender;
        for (int i = 50; i < 120; i++)
            times.Add(clock.Map(1, (uint)(960 * i), 48000, sender.AddSeconds(0.02 * i), TimeSpan.FromSeconds(1.0 + (0.02 * i)), Start, participant));

        Near(TimeSpan.FromSeconds(2.1), times[50]); // continues the old timeline: nothing lands behind frame 49
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromMilliseconds(15), $"{p.First} -> {p.Second}"));
        Near(TimeSpan.FromMilliseconds(15), times[51] - times[50]); // a quarter of 20 ms taken back per frame
        // 100 ms at 5 ms per frame: caught up 20 frames later, then exactly on the sender's timeline.
        Near(TimeSpan.FromMilliseconds(1000 + (20 * 70)), times[70]);
        Near(TimeSpan.FromMilliseconds(1000 + (20 * 119)), times[119]);
    }

    /// <summary>RTP steps become seconds through a double: a tick of rounding either way is the same instant.</summary>
    private static void Near(TimeSpan expected, TimeSpan actual) =>
        Assert.True(Math.Abs((expected - actual).Ticks) <= 1, $"expected {expected}, got {actual}");

    [Fact]
    public void A_forward_move_is_taken_at_once_as_a_gap()
    {
        var clock = new TrackClock();
        var participant = new ParticipantClock { SenderOffset = TimeSpan.Zero };
        Assert.Equal(TimeSpan.FromSeconds(1), clock.Map(1, 0, 48000, null, TimeSpan.FromSeconds(1), Start, participant));
        // The sender places frame 1 at 1.5 s: half a second later than the arrival-based 1.02 s.
        TimeSpan moved = clock.Map(1, 960, 48000, Start + TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5), Start, participant);
        Assert.Equal(TimeSpan.FromSeconds(1.5), moved);
        Assert.Equal(TimeSpan.FromSeconds(1.52), clock.Map(1, 1920, 48000, Start + TimeSpan.FromSeconds(1.52), TimeSpan.FromSeconds(1.6), Start, participant));
    }
}
