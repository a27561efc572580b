using System.Text.Json.Nodes;

namespace Callbridge.Janus.VideoRoom;

/// <summary>
/// VideoRoom requests over one <c>janus.plugin.videoroom</c> handle
/// (https://janus.conf.meetecho.com/docs/videoroom.html). Admin requests answer inline; join,
/// publish and start answer with ack + event, which <see cref="JanusHandle.SendMessageAsync"/> awaits.
/// </summary>
public sealed class VideoRoomClient
{
    public const string PluginName = "janus.plugin.videoroom";

    public VideoRoomClient(JanusHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Handle = handle;
    }

    public JanusHandle Handle { get; }

    public static async Task<VideoRoomClient> AttachAsync(JanusSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new VideoRoomClient(await session.AttachAsync(PluginName, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>create</c>; returns the room id (Janus's choice when none was given).</summary>
    public async Task<long> CreateRoomAsync(VideoRoomCreateOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonObject { ["request"] = "create", ["permanent"] = options.Permanent };
        if (options.Room is { } room)
        {
            body["room"] = room;
        }

        if (options.Description is not null)
        {
            body["description"] = options.Description;
        }

        if (options.Publishers is { } publishers)
        {
            body["publishers"] = publishers;
        }

        if (options.RequireE2ee)
        {
            body["require_e2ee"] = true;
        }

        if (options.AudioCodec is not null)
        {
            body["audiocodec"] = options.AudioCodec;
        }

        if (options.VideoCodec is not null)
        {
            body["videocodec"] = options.VideoCodec;
        }

        if (options.NotifyJoining)
        {
            body["notify_joining"] = true;
        }

        if (options.Bitrate is { } bitrate)
        {
            body["bitrate"] = bitrate;
        }

        if (options.Secret is not null)
        {
            body["secret"] = options.Secret;
        }

        if (options.IsPrivate)
        {
            body["is_private"] = true;
        }

        var answer = await Handle.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        Expect(answer.Data, "created");
        return JanusJson.RequireInt64(answer.Data, "room");
    }

    public async Task<bool> ExistsAsync(long room, CancellationToken cancellationToken = default)
    {
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "exists", ["room"] = room }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return JanusJson.GetBool(answer.Data, "exists");
    }

    public async Task<IReadOnlyList<VideoRoomInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "list" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (answer.Data["list"] is not JsonArray list)
        {
            throw JanusJson.Malformed("list answer without 'list'");
        }

        var rooms = new List<VideoRoomInfo>(list.Count);
        foreach (var item in list)
        {
            if (item is not JsonObject o)
            {
                throw JanusJson.Malformed("list entry is not an object");
            }

            JanusJson.TryGetInt64(o, "num_participants", out var participants);
            JanusJson.TryGetInt64(o, "max_publishers", out var maxPublishers);
            rooms.Add(new VideoRoomInfo(
                JanusJson.RequireInt64(o, "room"),
                JanusJson.GetString(o, "description") ?? string.Empty,
                JanusJson.GetBool(o, "require_e2ee"),
                (int)participants,
                (int)maxPublishers,
                JanusJson.GetString(o, "audiocodec"),
                JanusJson.GetString(o, "videocodec"),
                JanusJson.GetBool(o, "notify_joining")));
        }

        return rooms;
    }

    public async Task<IReadOnlyList<VideoRoomParticipant>> ListParticipantsAsync(long room, CancellationToken cancellationToken = default)
    {
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "listparticipants", ["room"] = room }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (answer.Data["participants"] is not JsonArray list)
        {
            throw JanusJson.Malformed("listparticipants answer without 'participants'");
        }

        var participants = new List<VideoRoomParticipant>(list.Count);
        foreach (var item in list)
        {
            if (item is not JsonObject o)
            {
                throw JanusJson.Malformed("participant entry is not an object");
            }

            participants.Add(new VideoRoomParticipant(
                JanusJson.RequireInt64(o, "id"),
                JanusJson.GetString(o, "display"),
                JanusJson.GetBool(o, "publisher"),
                JanusJson.GetBool(o, "talking")));
        }

        return participants;
    }

    public async Task DestroyRoomAsync(long room, string? secret = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["request"] = "destroy", ["room"] = room, ["permanent"] = false };
        if (secret is not null)
        {
            body["secret"] = secret;
        }

        var answer = await Handle.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        Expect(answer.Data, "destroyed");
    }

    /// <summary>Publisher join: <c>{"request":"join","ptype":"publisher","room":R,"display":D}</c> -> <c>joined</c>.</summary>
    public async Task<VideoRoomJoined> JoinAsPublisherAsync(long room, string? display, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["request"] = "join", ["ptype"] = "publisher", ["room"] = room };
        if (display is not null)
        {
            body["display"] = display;
        }

        var answer = await Handle.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        Expect(answer.Data, "joined");
        JanusJson.TryGetInt64(answer.Data, "private_id", out var privateId);
        return new VideoRoomJoined(
            JanusJson.RequireInt64(answer.Data, "room"),
            JanusJson.RequireInt64(answer.Data, "id"),
            privateId,
            ReadPublishers(answer.Data));
    }

    /// <summary><c>publish</c> with our offer; returns Janus's answer. A require_e2ee room rejects a jsep without e2ee (433).</summary>
    public async Task<JanusJsep> PublishAsync(JanusJsep offer, string? display = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var body = new JsonObject { ["request"] = "publish" };
        if (display is not null)
        {
            body["display"] = display;
        }

        var answer = await Handle.SendMessageAsync(body, offer, cancellationToken).ConfigureAwait(false);
        return answer.Jsep ?? throw JanusJson.Malformed("publish answered without jsep");
    }

    /// <summary>Subscriber join (multistream): <c>attached</c> + Janus's offer for the given feeds.</summary>
    public async Task<JanusJsep> JoinAsSubscriberAsync(long room, IEnumerable<long> feeds, long? privateId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        var streams = new JsonArray();
        foreach (var feed in feeds)
        {
            streams.Add(new JsonObject { ["feed"] = feed });
        }

        var body = new JsonObject { ["request"] = "join", ["ptype"] = "subscriber", ["room"] = room, ["streams"] = streams };
        if (privateId is { } pid)
        {
            body["private_id"] = pid;
        }

        var answer = await Handle.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        Expect(answer.Data, "attached");
        return answer.Jsep ?? throw JanusJson.Malformed("subscriber join answered without jsep offer");
    }

    /// <summary>
    /// Subscriber join (multistream) for the given streams: <c>attached</c> with Janus's m-line list and its offer.
    /// </summary>
    public async Task<VideoRoomSubscriberUpdate> JoinSubscriberAsync(long room, IReadOnlyList<VideoRoomFeedStream> streams, long? privateId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var body = new JsonObject { ["request"] = "join", ["ptype"] = "subscriber", ["room"] = room, ["streams"] = WriteFeedStreams(streams) };
        if (privateId is { } pid)
        {
            body["private_id"] = pid;
        }

        var answer = await Handle.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        Expect(answer.Data, "attached");
        return ReadSubscriberUpdate(answer.Data, answer.Jsep);
    }

    /// <summary>Multistream <c>subscribe</c>: adds streams to this subscriber; Janus answers <c>updated</c>, with an offer when m-lines changed.</summary>
    public async Task<VideoRoomSubscriberUpdate> SubscribeMoreAsync(IReadOnlyList<VideoRoomFeedStream> streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "subscribe", ["streams"] = WriteFeedStreams(streams) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadSubscriberUpdate(answer.Data, answer.Jsep);
    }

    /// <summary>Multistream <c>unsubscribe</c>: removes streams from this subscriber; answered like <see cref="SubscribeMoreAsync"/>.</summary>
    public async Task<VideoRoomSubscriberUpdate> UnsubscribeAsync(IReadOnlyList<VideoRoomFeedStream> streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "unsubscribe", ["streams"] = WriteFeedStreams(streams) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadSubscriberUpdate(answer.Data, answer.Jsep);
    }

    /// <summary>Publisher <c>configure</c> with a new offer (renegotiation of an existing publication); returns Janus's answer.</summary>
    public async Task<JanusJsep> ConfigureAsync(JanusJsep offer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var answer = await Handle.SendMessageAsync(new JsonObject { ["request"] = "configure" }, offer, cancellationToken).ConfigureAwait(false);
        return answer.Jsep ?? throw JanusJson.Malformed("configure answered without jsep");
    }

    /// <summary>Publisher <c>unpublish</c>: the publication's PeerConnection is closed, the participant stays.</summary>
    public async Task UnpublishAsync(CancellationToken cancellationToken = default) =>
        await Handle.SendMessageAsync(new JsonObject { ["request"] = "unpublish" }, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a subscriber's <c>streams</c> list (from <c>attached</c> or <c>updated</c>) and the jsep that came with it.</summary>
    public static VideoRoomSubscriberUpdate ReadSubscriberUpdate(JsonObject data, JanusJsep? jsep)
    {
        ArgumentNullException.ThrowIfNull(data);
        var streams = new List<VideoRoomSubscriberStream>();
        if (data["streams"] is JsonArray list)
        {
            foreach (var item in list)
            {
                if (item is JsonObject s && JanusJson.GetString(s, "type") is { } type)
                {
                    JanusJson.TryGetInt64(s, "mindex", out var mindex);
                    long? feed = JanusJson.TryGetInt64(s, "feed_id", out var f) ? f : null;
                    bool active = s["active"] is not JsonValue v || !v.TryGetValue(out bool a) || a;
                    streams.Add(new VideoRoomSubscriberStream((int)mindex, JanusJson.GetString(s, "mid"), type, active, feed,
                        JanusJson.GetString(s, "feed_mid"), JanusJson.GetString(s, "feed_display"), JanusJson.GetString(s, "codec")));
                }
            }
        }

        return new VideoRoomSubscriberUpdate(JanusJson.GetString(data, "videoroom"), streams, jsep);
    }

    private static JsonArray WriteFeedStreams(IReadOnlyList<VideoRoomFeedStream> streams)
    {
        var array = new JsonArray();
        foreach (var stream in streams)
        {
            var entry = new JsonObject { ["feed"] = stream.Feed };
            if (stream.Mid is not null)
            {
                entry["mid"] = stream.Mid;
            }

            array.Add(entry);
        }

        return array;
    }

    /// <summary>Subscriber <c>start</c> with our answer to Janus's offer.</summary>
    public async Task StartAsync(JanusJsep answerJsep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answerJsep);
        await Handle.SendMessageAsync(new JsonObject { ["request"] = "start" }, answerJsep, cancellationToken).ConfigureAwait(false);
    }

    public async Task LeaveAsync(CancellationToken cancellationToken = default) =>
        await Handle.SendMessageAsync(new JsonObject { ["request"] = "leave" }, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a <c>publishers</c> array from <c>joined</c> or a <c>publishers</c> event.</summary>
    public static IReadOnlyList<VideoRoomPublisher> ReadPublishers(JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data["publishers"] is not JsonArray list)
        {
            return [];
        }

        var publishers = new List<VideoRoomPublisher>(list.Count);
        foreach (var item in list)
        {
            if (item is JsonObject o && JanusJson.TryGetInt64(o, "id", out var id))
            {
                publishers.Add(new VideoRoomPublisher(id, JanusJson.GetString(o, "display"), ReadStreams(o)));
            }
        }

        return publishers;
    }

    /// <summary>A publisher's <c>streams</c>; entries without a type are skipped.</summary>
    private static IReadOnlyList<VideoRoomStream> ReadStreams(JsonObject publisher)
    {
        if (publisher["streams"] is not JsonArray list)
        {
            return [];
        }

        var streams = new List<VideoRoomStream>(list.Count);
        foreach (var item in list)
        {
            if (item is JsonObject s && JanusJson.GetString(s, "type") is { } type)
            {
                streams.Add(new VideoRoomStream(type, JanusJson.GetString(s, "mid"), JanusJson.GetString(s, "codec"), JanusJson.GetBool(s, "disabled")));
            }
        }

        return streams;
    }

    private static void Expect(JsonObject data, string videoroom)
    {
        var actual = JanusJson.GetString(data, "videoroom");
        if (actual != videoroom)
        {
            throw JanusJson.Malformed($"expected videoroom '{videoroom}', got '{actual}'");
        }
    }
}
