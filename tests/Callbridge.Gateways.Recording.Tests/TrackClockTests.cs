namespace Callbridge.Gateways.Recording.Tests;

/// <summary>RTP to file time, and where a track's file belongs on the recording's timeline (its shift).</summary>
public sealed class TrackClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The sender's wall clock reads three hours behind ours: placement must not depend on it.</summary>
    private static readonly DateTimeOffset Sender = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rtp_timestamps_keep_their_spacing_across_the_32_bit_wrap()
    {
        var participant = new ParticipantClock();
        var clock = new TrackClock(participant);
        uint first = 0xFFFF_FC40; // 960 samples before the wrap
        TimeSpan a = clock.Map(1, first, 48000, null, TimeSpan.FromSeconds(2), Start, participant);
        TimeSpan b = clock.Map(1, unchecked(first + 960), 48000, null, TimeSpan.FromSeconds(5), Start, participant);
        TimeSpan c = clock.Map(1, unchecked(first + 960 * 3), 48000, null, TimeSpan.FromSeconds(9), Start, participant);
        Assert.Equal(TimeSpan.FromSeconds(2), a);
        Assert.Equal(TimeSpan.FromMilliseconds(2020), b); // arrival jitter does not move it
        Assert.Equal(TimeSpan.FromMilliseconds(2060), c);
        Assert.Equal(TimeSpan.Zero, clock.Shift(participant)); // the first frame was the least delayed
    }

    [Fact]
    public void A_participants_tracks_keep_the_sync_of_its_sender_reports_from_the_least_delayed_track()
    {
        var participant = new ParticipantClock();
        var audio = new TrackClock(participant);
        var video = new TrackClock(participant);
        // Audio's frame of sender instant 0 arrives at 1.0 s. Video's frame of instant +0.5 s arrives at 1.7 s and
        // every video frame 0.2 s after its instant (a paced sender): the reports put it at 1.5 s.
        Assert.Equal(TimeSpan.FromSeconds(1), audio.Map(1, 1000, 48000, Sender, TimeSpan.FromSeconds(1), Start, participant));
        Assert.Equal(TimeSpan.FromSeconds(1.7), video.Map(2, 5000, 90000, Sender.AddSeconds(0.5), TimeSpan.FromSeconds(1.7), Start, participant));
        Assert.Equal(TimeSpan.FromSeconds(2.7), video.Map(2, 5000 + 90000, 90000, Sender.AddSeconds(1.5), TimeSpan.FromSeconds(2.9), Start, participant));
        Assert.Equal(TimeSpan.Zero, audio.Shift(participant));
        Assert.Equal(TimeSpan.FromSeconds(-0.2), video.Shift(participant)); // file time 1.7 s + shift = 1.5 s
        // A new SSRC (the publisher restarted) starts at its own arrival, after what is written.
        Assert.Equal(TimeSpan.FromSeconds(9), audio.Map(7, 123, 48000, null, TimeSpan.FromSeconds(9), Start, participant));
    }

    [Fact]
    public void A_backlog_delivered_at_once_as_the_subscription_starts_is_placed_where_it_was_sent_once_frames_come_on_time()
    {
        var participant = new ParticipantClock();
        var clock = new TrackClock(participant);
        var files = new List<TimeSpan>();
        // Frames 0..44 (0.9 s of audio) were held up and arrive together at 1.0 s; from frame 45 on they arrive on time.
        for (int i = 0; i < 45; i++) files.Add(clock.Map(1, (uint)(960 * i), 48000, null, TimeSpan.FromSeconds(1.0), Start, participant));
        for (int i = 45; i < 100; i++) files.Add(clock.Map(1, (uint)(960 * i), 48000, null, TimeSpan.FromSeconds(0.1 + (0.02 * i)), Start, participant));
        // The file keeps the sender's spacing from the first arrival; the shift moves it back by the backlog.
        Assert.Equal(TimeSpan.FromSeconds(1.0), files[0]);
        Assert.All(files.Zip(files.Skip(1)), p => Assert.Equal(TimeSpan.FromMilliseconds(20), p.Second - p.First));
        Assert.Equal(TimeSpan.FromSeconds(-0.9), clock.Shift(participant));
    }

    [Fact]
    public void A_sender_report_taken_late_is_replaced_by_an_earlier_mapping_and_the_placement_already_made_moves_with_it()
    {
        var participant = new ParticipantClock();
        var audio = new TrackClock(participant);
        var video = new TrackClock(participant);
        // Every frame arrives 10 ms after its sender instant (audio) or 40 ms (video: paced). Video's first report
        // was written 300 ms late (from a packet the SFU forwarded late), its next ones are right.
        for (int i = 0; i < 100; i++)
        {
            TimeSpan instant = TimeSpan.FromMilliseconds(20 * i);
            audio.Map(1, (uint)(960 * i), 48000, Sender + instant, TimeSpan.FromSeconds(1.01) + instant, Start, participant);
            if (i % 2 == 0)
            {
                TimeSpan late = i < 50 ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero;
                video.Map(2, (uint)(1800 * i), 90000, Sender + instant + late, TimeSpan.FromSeconds(1.04) + instant, Start, participant);
            }
        }
        // Audio is placed at its least-delayed arrival; video at the same sender instants: 30 ms before its arrival.
        Assert.Equal(TimeSpan.Zero, audio.Shift(participant));
        Assert.Equal(TimeSpan.FromMilliseconds(-30), video.Shift(participant));
    }

    [Fact]
    public void Without_sender_reports_a_track_is_placed_by_its_least_delayed_arrival()
    {
        var participant = new ParticipantClock();
        var clock = new TrackClock(participant);
        // Arrivals jitter 0..60 ms after 2.0 s + 20 ms per frame; the earliest one sets the placement.
        int[] jitter = [35, 60, 12, 48, 0, 25, 51];
        for (int i = 0; i < jitter.Length; i++)
            clock.Map(5, (uint)(960 * i), 48000, null, TimeSpan.FromMilliseconds(2000 + (20 * i) + jitter[i]), Start, participant);
        Assert.Equal(TimeSpan.FromMilliseconds(-35), clock.Shift(participant)); // first frame written at 2.035 s, belongs at 2.000 s
    }
}
