using System.Text.Json.Nodes;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Conference.Tests;

/// <summary>A multistream subscriber's m-line list, in the shapes Janus 1.1.2 sends it.</summary>
public sealed class VideoRoomSubscriberUpdateTests
{
    [Fact]
    public void Attached_maps_each_mline_to_its_feed_and_feed_mid()
    {
        VideoRoomSubscriberUpdate update = VideoRoomClient.ReadSubscriberUpdate(JsonNode.Parse("""
            {"videoroom":"attached","room":1234,"streams":[
              {"type":"audio","active":true,"mindex":0,"mid":"0","ready":false,"send":true,"feed_id":7,"feed_display":"Alice","feed_mid":"0","codec":"opus"},
              {"type":"video","active":true,"mindex":1,"mid":"1","ready":false,"send":true,"feed_id":7,"feed_display":"Alice","feed_mid":"1","codec":"vp8"},
              {"type":"audio","active":true,"mindex":2,"mid":"2","feed_id":8,"feed_mid":"0","codec":"opus"}]}
            """)!.AsObject(), JanusJsep.Offer("v=0"));

        Assert.Equal("attached", update.Event);
        Assert.Equal("v=0", update.Jsep!.Sdp);
        Assert.Equal(
            [(0, "0", "audio", true, 7L, "0", "Alice", "opus"), (1, "1", "video", true, 7L, "1", "Alice", "vp8"), (2, "2", "audio", true, 8L, "0", null, "opus")],
            update.Streams.Select(s => (s.MIndex, s.Mid, s.Type, s.Active, s.FeedId!.Value, s.FeedMid, s.FeedDisplay, s.Codec)));
    }

    [Fact]
    public void Updated_keeps_an_inactive_mline_without_a_feed_and_skips_entries_without_a_type()
    {
        VideoRoomSubscriberUpdate update = VideoRoomClient.ReadSubscriberUpdate(JsonNode.Parse("""
            {"videoroom":"updated","room":1234,"streams":[
              {"type":"audio","active":false,"mindex":0,"mid":"0"},
              {"mindex":1,"mid":"1"},
              {"type":"data","active":true,"mindex":2,"mid":"2","sources":1}]}
            """)!.AsObject(), null);

        Assert.Equal("updated", update.Event);
        Assert.Null(update.Jsep);
        Assert.Equal([("0", false, (long?)null), ("2", true, null)], update.Streams.Select(s => (s.Mid!, s.Active, s.FeedId)));
    }

    [Fact]
    public void An_event_without_streams_gives_an_empty_list()
    {
        VideoRoomSubscriberUpdate update = VideoRoomClient.ReadSubscriberUpdate(JsonNode.Parse("""{"videoroom":"event","started":"ok"}""")!.AsObject(), null);
        Assert.Equal("event", update.Event);
        Assert.Empty(update.Streams);
    }
}
