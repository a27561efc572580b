namespace Callbridge.Conference.Tests;

public sealed class ConferenceRosterTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;

    private static PublishedTrack Audio(string participant, string mid = "0", string codec = "opus") =>
        new($"{participant}/{mid}", participant, mid, TrackKind.Audio, codec);

    private static PublishedTrack Video(string participant, string mid = "1") =>
        new($"{participant}/{mid}", participant, mid, TrackKind.Video, "vp8");

    [Fact]
    public void Publishing_announces_participant_then_each_track_once()
    {
        var roster = new ConferenceRoster();
        var events = roster.Publishing(T, "7", "Alice", [Audio("7"), Video("7")]);
        Assert.Collection(events,
            e => Assert.Equal("7", Assert.IsType<ParticipantJoined>(e).Participant.ParticipantId),
            e => Assert.Equal(TrackKind.Audio, Assert.IsType<TrackPublished>(e).Track.Kind),
            e => Assert.Equal(TrackKind.Video, Assert.IsType<TrackPublished>(e).Track.Kind));

        // The same list again (Janus repeats publishers on reconnect) changes nothing.
        Assert.Empty(roster.Publishing(T, "7", "Alice", [Audio("7"), Video("7")]));
    }

    [Fact]
    public void Unpublished_twice_is_reported_once()
    {
        var roster = new ConferenceRoster();
        roster.Publishing(T, "7", "Alice", [Audio("7")]);
        Assert.Single(roster.Unpublished(T, "7"));
        Assert.Empty(roster.Unpublished(T, "7"));
        Assert.Single(roster.Participants); // still there, just silent
    }

    [Fact]
    public void Leaving_unpublishes_first_and_a_second_leave_is_ignored()
    {
        var roster = new ConferenceRoster();
        roster.Publishing(T, "7", "Alice", [Audio("7"), Video("7")]);
        var events = roster.Left(T, "7");
        Assert.Equal([typeof(TrackUnpublished), typeof(TrackUnpublished), typeof(ParticipantLeft)], events.Select(e => e.GetType()));
        Assert.Empty(roster.Left(T, "7"));
        Assert.Empty(roster.Participants);
    }

    [Fact]
    public void A_changed_codec_on_the_same_mid_is_an_unpublish_and_a_publish()
    {
        var roster = new ConferenceRoster();
        roster.Publishing(T, "7", null, [Audio("7", codec: "opus")]);
        var events = roster.Publishing(T, "7", null, [Audio("7", codec: "pcmu")]);
        Assert.Equal([typeof(TrackUnpublished), typeof(TrackPublished)], events.Select(e => e.GetType()));
        Assert.Equal("pcmu", Assert.Single(roster.Tracks).Codec);
    }

    [Fact]
    public void Replace_after_reconnect_emits_only_the_differences()
    {
        var roster = new ConferenceRoster();
        roster.Publishing(T, "7", "Alice", [Audio("7")]);
        roster.Publishing(T, "8", "Bob", [Audio("8")]);

        var events = roster.Replace(T, [
            new ConferenceParticipant("7", "Alice", [Audio("7")]),          // unchanged
            new ConferenceParticipant("9", "Carol", [Audio("9"), Video("9")]), // new while away
        ]);

        Assert.Equal(
            [typeof(TrackUnpublished), typeof(ParticipantLeft), typeof(ParticipantJoined), typeof(TrackPublished), typeof(TrackPublished)],
            events.Select(e => e.GetType()));
        Assert.Equal(["7", "9"], roster.Participants.Select(p => p.ParticipantId));
    }
}
