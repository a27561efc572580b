namespace Callbridge.Gateways.Recording.Tests;

/// <summary>RTP to track time.</summary>
public sealed class TrackClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rtp_timestamps_keep_their_spacing_across_the_32_bit_wrap()
    {
        var clock = new TrackClock();
        var participant = new ParticipantClock();
        uint first = 0xFFFF_FC40; // 960 samples before the wrap
        TimeSpan a = clock.Map(1, first, 48000, null, TimeSpan.FromSeconds(2), Start, participant);
        TimeSpan b = clock.Map(1, unchecked(first + 960), 48000, null, TimeSpan.FromSeconds(5), Start, participant);
        TimeSpan c = clock.Map(1, unchecked(first + 960 * 3), 48000, null, TimeSpan.FromSeconds(9), Start, participant);
        Assert.Equal(TimeSpan.FromSeconds(2), a);
        Assert.Equal(TimeSpan.FromMilliseconds(2020), b); // arrival jitter does not move it
        Assert.Equal(TimeSpan.FromMilliseconds(2060), c);
    }

    [Fact]
    public void A_participants_tracks_are_placed_by_its_sender_clock_and_a_new_ssrc_starts_again()
    {
        var participant = new ParticipantClock();
        var audio = new TrackClock();
        var video = new TrackClock();
        DateTimeOffset sender = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);
        // Audio's first sender time arrives at 1.0 s; video's frame of the same instant + 0.5 s arrives 0.2 s late.
        Assert.Equal(TimeSpan.FromSeconds(1), audio.Map(1, 1000, 48000, sender, TimeSpan.FromSeconds(1), Start, participant));
        Assert.Equal(TimeSpan.FromSeconds(1.5), video.Map(2, 5000, 90000, sender.AddSeconds(0.5), TimeSpan.FromSeconds(1.7), Start, participant));
        Assert.Equal(TimeSpan.FromSeconds(2.5), video.Map(2, 5000 + 90000, 90000, sender.AddSeconds(1.5), TimeSpan.FromSeconds(2.9), Start, participant));
        // A new SSRC (the publisher restarted) starts from its own arrival until its first sender time.
        Assert.Equal(TimeSpan.FromSeconds(9), audio.Map(7, 123, 48000, null, TimeSpan.FromSeconds(9), Start, participant));
    }
}
