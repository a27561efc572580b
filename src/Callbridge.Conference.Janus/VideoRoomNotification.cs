using System.Globalization;
using System.Text.Json.Nodes;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Conference.Janus;

/// <summary>
/// Maps what a VideoRoom publisher handle is told about the room, as the Janus library decodes it,
/// onto the roster. Shapes it does not know are ignored: a strange event from the SFU must not end
/// the bot's session.
/// </summary>
internal static class VideoRoomNotification
{
    /// <summary>The publishers listed in Janus's <c>joined</c> answer.</summary>
    public static IReadOnlyList<ConferenceEvent> ApplyJoined(ConferenceRoster roster, JsonObject joined, long ownId, DateTimeOffset at) =>
        Publishing(roster, VideoRoomClient.ReadPublishers(joined), ownId, at);

    /// <summary>Applies one event; <paramref name="ended"/> is set when the room is gone for the bot.</summary>
    public static IReadOnlyList<ConferenceEvent> Apply(ConferenceRoster roster, JanusEvent evt, long ownId, DateTimeOffset at, out string? ended)
    {
        ended = null;
        if (!VideoRoomEvent.TryParse(evt, out VideoRoomEvent? e)) return [];
        switch (e!.Kind)
        {
            case VideoRoomEventKind.Publishers:
                return Publishing(roster, e.Publishers, ownId, at);
            case VideoRoomEventKind.Joining when e.ParticipantId is { } joiner && joiner != ownId:
                return roster.Present(at, Id(joiner), e.Display);
            // A null id is "unpublished":"ok", the answer to the bot's own unpublish.
            case VideoRoomEventKind.Unpublished when e.ParticipantId is { } publisher && publisher != ownId:
                return roster.Unpublished(at, Id(publisher));
            case VideoRoomEventKind.Leaving when e.ParticipantId is { } leaver && leaver != ownId:
                return roster.Left(at, Id(leaver));
            case VideoRoomEventKind.Kicked when e.ParticipantId == ownId:
                ended = "the bot was removed from the room";
                return [];
            case VideoRoomEventKind.Kicked when e.ParticipantId is { } kicked:
                return roster.Left(at, Id(kicked));
            case VideoRoomEventKind.Destroyed:
                ended = "the room was destroyed";
                return [];
            default:
                return [];
        }
    }

    private static IReadOnlyList<ConferenceEvent> Publishing(ConferenceRoster roster, IReadOnlyList<VideoRoomPublisher> publishers, long ownId, DateTimeOffset at)
    {
        var events = new List<ConferenceEvent>();
        foreach (VideoRoomPublisher p in publishers)
        {
            if (p.Id == ownId) continue;
            string participant = Id(p.Id);
            events.AddRange(roster.Publishing(at, participant, p.Display, Tracks(p, participant)));
        }
        return events;
    }

    /// <summary>Audio and video streams that are live; data channels and disabled streams are not tracks.</summary>
    internal static IReadOnlyList<PublishedTrack> Tracks(VideoRoomPublisher publisher, string participantId) =>
        publisher.Streams
            .Where(s => !s.Disabled && s.Mid is not null && s.Type is "audio" or "video")
            .Select(s => new PublishedTrack(participantId + "/" + s.Mid, participantId, s.Mid!,
                s.Type == "audio" ? TrackKind.Audio : TrackKind.Video, s.Codec?.ToLowerInvariant()))
            .ToList();

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
