namespace Callbridge.Janus.VideoRoom;

/// <summary>A VideoRoom notification, decoded.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Room">Room id (0 when absent).</param>
/// <param name="ParticipantId">Who joined/left/unpublished/talks; null for "ok" (ourselves) or when not applicable.</param>
/// <param name="Display">Display name when given (joining).</param>
/// <param name="Publishers">Publishers listed (publishers event), else empty.</param>
/// <param name="Source">The raw event.</param>
public sealed record VideoRoomEvent(
    VideoRoomEventKind Kind,
    long Room,
    long? ParticipantId,
    string? Display,
    IReadOnlyList<VideoRoomPublisher> Publishers,
    JanusEvent Source)
{
    /// <summary>
    /// Decodes a plugin event of <c>janus.plugin.videoroom</c>. Returns false for other plugins or
    /// events that are not VideoRoom notifications; never throws on unexpected shapes.
    /// </summary>
    public static bool TryParse(JanusEvent evt, out VideoRoomEvent? value)
    {
        ArgumentNullException.ThrowIfNull(evt);
        value = null;
        if (evt.Kind != JanusEventKind.PluginEvent || evt.Plugin != VideoRoomClient.PluginName)
        {
            return false;
        }

        var data = evt.Data;
        JanusJson.TryGetInt64(data, "room", out var room);
        var name = JanusJson.GetString(data, "videoroom");
        var kind = name switch
        {
            "destroyed" => VideoRoomEventKind.Destroyed,
            "updated" => VideoRoomEventKind.Updated,
            "talking" => VideoRoomEventKind.Talking,
            "stopped-talking" => VideoRoomEventKind.StoppedTalking,
            "event" when data["joining"] is not null => VideoRoomEventKind.Joining,
            "event" when data["publishers"] is not null => VideoRoomEventKind.Publishers,
            "event" when data["unpublished"] is not null => VideoRoomEventKind.Unpublished,
            "event" when data["leaving"] is not null => VideoRoomEventKind.Leaving,
            "event" when data["kicked"] is not null => VideoRoomEventKind.Kicked,
            _ => VideoRoomEventKind.Other,
        };
        if (kind == VideoRoomEventKind.Other)
        {
            return false;
        }

        long? participant = null;
        string? display = null;
        switch (kind)
        {
            case VideoRoomEventKind.Joining when data["joining"] is System.Text.Json.Nodes.JsonObject joining:
                participant = JanusJson.TryGetInt64(joining, "id", out var jid) ? jid : null;
                display = JanusJson.GetString(joining, "display");
                break;
            case VideoRoomEventKind.Unpublished:
                // "ok" means our own publication ended; otherwise the feed id.
                participant = JanusJson.TryGetInt64(data, "unpublished", out var uid) ? uid : null;
                break;
            case VideoRoomEventKind.Leaving:
                participant = JanusJson.TryGetInt64(data, "leaving", out var lid) ? lid : null;
                break;
            case VideoRoomEventKind.Kicked:
                participant = JanusJson.TryGetInt64(data, "kicked", out var kid) ? kid : null;
                break;
            case VideoRoomEventKind.Talking:
            case VideoRoomEventKind.StoppedTalking:
                participant = JanusJson.TryGetInt64(data, "id", out var tid) ? tid : null;
                break;
        }

        var publishers = kind == VideoRoomEventKind.Publishers ? VideoRoomClient.ReadPublishers(data) : [];
        value = new VideoRoomEvent(kind, room, participant, display, publishers, evt);
        return true;
    }
}
