using System.Text.Json.Nodes;
using Callbridge.Conference.Janus;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Conference.Tests;

/// <summary>Janus 1.1.2 VideoRoom notifications, in the shapes Janus sends them, mapped onto the roster.</summary>
public sealed class VideoRoomNotificationTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.UnixEpoch;
    private const long Own = 111;

    private static JanusEvent Event(string data) =>
        new(JanusEventKind.PluginEvent, "event", 1, null, VideoRoomClient.PluginName, JsonNode.Parse(data)!.AsObject(), null);

    private static IReadOnlyList<ConferenceEvent> Apply(ConferenceRoster roster, string json, out string? ended) =>
        VideoRoomNotification.Apply(roster, Event(json), Own, T, out ended);

    [Fact]
    public void Joined_lists_publishers_with_their_streams_and_skips_the_bot_itself()
    {
        var roster = new ConferenceRoster();
        var events = VideoRoomNotification.ApplyJoined(roster, JsonNode.Parse("""
            {"videoroom":"joined","room":1234,"id":111,"private_id":9,"publishers":[
              {"id":7,"display":"Alice","streams":[
                {"type":"audio","mindex":0,"mid":"0","codec":"opus"},
                {"type":"video","mindex":1,"mid":"1","codec":"vp8"},
                {"type":"data","mindex":2,"mid":"2"}]},
              {"id":111,"display":"bot","streams":[]}]}
            """)!.AsObject(), Own, T);

        var participant = Assert.Single(roster.Participants);
        Assert.Equal(("7", "Alice"), (participant.ParticipantId, participant.DisplayName));
        Assert.Equal([("0", TrackKind.Audio, "opus"), ("1", TrackKind.Video, "vp8")],
            participant.Tracks.Select(t => (t.Mid, t.Kind, t.Codec!)));
        Assert.Equal(3, events.Count);
        Assert.Equal("7/0", ((TrackPublished)events[1]).Track.TrackId);
    }

    [Fact]
    public void Unpublished_twice_leaving_and_joining_are_applied_idempotently()
    {
        var roster = new ConferenceRoster();
        Apply(roster, """{"videoroom":"event","room":1,"publishers":[{"id":7,"display":"A","streams":[{"type":"audio","mid":"0","codec":"opus"}]}]}""", out _);

        Assert.Single(Apply(roster, """{"videoroom":"event","room":1,"unpublished":7}""", out _));
        Assert.Empty(Apply(roster, """{"videoroom":"event","room":1,"unpublished":7}""", out _));
        Assert.Empty(Apply(roster, """{"videoroom":"event","room":1,"unpublished":"ok"}""", out _));

        var joining = Apply(roster, """{"videoroom":"event","room":1,"joining":{"id":8,"display":"B"}}""", out _);
        Assert.IsType<ParticipantJoined>(Assert.Single(joining));

        Assert.IsType<ParticipantLeft>(Assert.Single(Apply(roster, """{"videoroom":"event","room":1,"leaving":7}""", out _)));
        Assert.Empty(Apply(roster, """{"videoroom":"event","room":1,"leaving":7}""", out _));
        Assert.Equal(["8"], roster.Participants.Select(p => p.ParticipantId));
    }

    [Fact]
    public void Disabled_streams_are_unpublished_tracks()
    {
        var roster = new ConferenceRoster();
        Apply(roster, """{"videoroom":"event","publishers":[{"id":7,"streams":[{"type":"audio","mid":"0","codec":"opus"},{"type":"video","mid":"1","codec":"vp8"}]}]}""", out _);
        var events = Apply(roster, """{"videoroom":"event","publishers":[{"id":7,"streams":[{"type":"audio","mid":"0","codec":"opus"},{"type":"video","mid":"1","codec":"vp8","disabled":true}]}]}""", out _);
        Assert.Equal(TrackKind.Video, Assert.IsType<TrackUnpublished>(Assert.Single(events)).Track.Kind);
    }

    [Fact]
    public void Destroyed_room_and_kicked_bot_end_the_session_and_a_kicked_other_leaves()
    {
        Apply(new ConferenceRoster(), """{"videoroom":"destroyed","room":1}""", out string? destroyed);
        Assert.Equal("the room was destroyed", destroyed);
        Apply(new ConferenceRoster(), """{"videoroom":"event","room":1,"kicked":111}""", out string? kicked);
        Assert.Equal("the bot was removed from the room", kicked);

        var roster = new ConferenceRoster();
        Apply(roster, """{"videoroom":"event","joining":{"id":9}}""", out _);
        Assert.IsType<ParticipantLeft>(Assert.Single(Apply(roster, """{"videoroom":"event","kicked":9}""", out string? notUs)));
        Assert.Null(notUs);
    }

    [Theory]
    [InlineData("""{"videoroom":"event","publishers":[42, {"display":"no id"}]}""")]
    [InlineData("""{"videoroom":"event","publishers":[{"id":7,"streams":[{"type":"audio"},"x",{"mid":"3"}]}]}""")]
    [InlineData("""{"videoroom":"event","leaving":{"nested":true}}""")]
    [InlineData("""{"unexpected":"shape"}""")]
    public void Malformed_parts_are_skipped_never_thrown_and_add_no_track(string json)
    {
        var roster = new ConferenceRoster();
        Apply(roster, json, out string? ended);
        Assert.Null(ended);
        Assert.Empty(roster.Tracks);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("")]
    public void A_conference_id_that_is_not_a_room_number_is_a_typed_error(string id)
    {
        var error = Assert.Throws<ConferenceException>(() => JanusConferenceConnector.ParseRoom(id));
        Assert.Equal(ConferenceErrorKind.InvalidId, error.Kind);
    }
}
