using System.Text.Json.Nodes;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Stack.Tests.Janus;

/// <summary>Decoding of VideoRoom notifications as Janus 1.1.2 sends them.</summary>
public sealed class VideoRoomEventTests
{
    private static JanusEvent Plugin(string data, string plugin = VideoRoomClient.PluginName) =>
        new(JanusEventKind.PluginEvent, "event", 2, null, plugin, (JsonObject)JsonNode.Parse(data)!, null);

    [Theory]
    [InlineData("""{"videoroom":"event","room":7,"joining":{"id":42,"display":"bob"}}""", VideoRoomEventKind.Joining, 42L, "bob")]
    [InlineData("""{"videoroom":"event","room":7,"unpublished":42}""", VideoRoomEventKind.Unpublished, 42L, null)]
    [InlineData("""{"videoroom":"event","room":7,"unpublished":"ok"}""", VideoRoomEventKind.Unpublished, null, null)]
    [InlineData("""{"videoroom":"event","room":7,"leaving":42}""", VideoRoomEventKind.Leaving, 42L, null)]
    [InlineData("""{"videoroom":"destroyed","room":7}""", VideoRoomEventKind.Destroyed, null, null)]
    [InlineData("""{"videoroom":"updated","room":7,"streams":[]}""", VideoRoomEventKind.Updated, null, null)]
    [InlineData("""{"videoroom":"talking","room":7,"id":42,"audio-level-dBov-avg":-40}""", VideoRoomEventKind.Talking, 42L, null)]
    [InlineData("""{"videoroom":"stopped-talking","room":7,"id":42}""", VideoRoomEventKind.StoppedTalking, 42L, null)]
    public void Notifications_decode_to_their_kind_and_participant(string data, VideoRoomEventKind kind, long? participant, string? display)
    {
        Assert.True(VideoRoomEvent.TryParse(Plugin(data), out var evt));

        Assert.Equal((kind, 7L, participant, display), (evt!.Kind, evt.Room, evt.ParticipantId, evt.Display));
    }

    [Fact]
    public void Publishers_event_lists_the_publishers()
    {
        Assert.True(VideoRoomEvent.TryParse(Plugin("""{"videoroom":"event","room":7,"publishers":[{"id":1,"display":"a","streams":[]},{"id":2}]}"""), out var evt));

        Assert.Equal([new VideoRoomPublisher(1, "a"), new VideoRoomPublisher(2, null)], evt!.Publishers);
    }

    [Theory]
    [InlineData("""{"videoroom":"event","room":7,"configured":"ok"}""", VideoRoomClient.PluginName)]
    [InlineData("""{"videoroom":"joined","room":7,"id":1}""", VideoRoomClient.PluginName)]
    [InlineData("""{"audiobridge":"event","room":7,"leaving":42}""", "janus.plugin.audiobridge")]
    public void Answers_and_other_plugins_are_not_notifications(string data, string plugin)
    {
        Assert.False(VideoRoomEvent.TryParse(Plugin(data, plugin), out var evt));
        Assert.Null(evt);
    }

    [Fact]
    public void Unexpected_shapes_decode_without_a_participant_instead_of_failing()
    {
        Assert.True(VideoRoomEvent.TryParse(Plugin("""{"videoroom":"event","joining":"not an object"}"""), out var evt));

        Assert.Equal((VideoRoomEventKind.Joining, 0L, (long?)null), (evt!.Kind, evt.Room, evt.ParticipantId));
    }
}
