using System.Text.Json.Nodes;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Stack.Tests.Janus;

/// <summary>Request shapes, response parsing and event dispatch of the Janus client against a scripted HTTP handler.</summary>
public sealed class JanusClientTests : IDisposable
{
    private const long SessionId = 111;
    private const long HandleId = 222;

    private readonly FakeJanusHandler _handler = new();
    private readonly HttpClient _http;
    private readonly JanusClient _client;

    public JanusClientTests()
    {
        _http = new HttpClient(_handler);
        _client = new JanusClient(_http, new JanusClientOptions
        {
            BaseUri = new Uri("http://janus.test/janus"),
            KeepaliveInterval = TimeSpan.FromMinutes(10),
            EventTimeout = TimeSpan.FromSeconds(5),
        });
        _handler.OnPost = DefaultPost;
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private Func<JsonObject, string>? OnMessage { get; set; }

    private string DefaultPost(string path, JsonObject body)
    {
        var tx = (string)body["transaction"]!;
        return (string)body["janus"]! switch
        {
            "create" => $$$"""{"janus":"success","transaction":"{{{tx}}}","data":{"id":{{{SessionId}}}}}""",
            "attach" => $$$"""{"janus":"success","session_id":{{{SessionId}}},"transaction":"{{{tx}}}","data":{"id":{{{HandleId}}}}}""",
            "message" => OnMessage!(body),
            "destroy" => $$$"""{"janus":"success","session_id":{{{SessionId}}},"transaction":"{{{tx}}}"}""",
            _ => $$$"""{"janus":"ack","session_id":{{{SessionId}}},"transaction":"{{{tx}}}"}""",
        };
    }

    private static string Success(JsonObject body, string data) =>
        $$$"""{"janus":"success","session_id":{{{SessionId}}},"transaction":"{{{body["transaction"]}}}","sender":{{{HandleId}}},"plugindata":{"plugin":"janus.plugin.videoroom","data":{{{data}}}}}""";

    private static string Ack(JsonObject body) =>
        $$$"""{"janus":"ack","session_id":{{{SessionId}}},"transaction":"{{{body["transaction"]}}}"}""";

    private static string Event(JsonObject body, string data, string? jsep = null) =>
        $$$"""{"janus":"event","session_id":{{{SessionId}}},"transaction":"{{{body["transaction"]}}}","sender":{{{HandleId}}},"plugindata":{"plugin":"janus.plugin.videoroom","data":{{{data}}}}{{{(jsep is null ? "" : ",\"jsep\":" + jsep)}}}}""";

    private async Task<(JanusSession Session, VideoRoomClient Rooms)> OpenAsync()
    {
        var session = await _client.CreateSessionAsync();
        return (session, await VideoRoomClient.AttachAsync(session));
    }

    [Fact]
    public async Task Create_attach_and_list_send_the_documented_requests_and_parse_the_rooms()
    {
        OnMessage = body => Success(body, """{"videoroom":"success","list":[{"room":5,"description":"d","require_e2ee":true,"num_participants":2,"max_publishers":6,"audiocodec":"opus","videocodec":"vp8","notify_joining":true},{"room":6,"description":"e","num_participants":0,"max_publishers":3}]}""");
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var list = await rooms.ListAsync();

        Assert.Equal(SessionId, session.Id);
        Assert.Equal(HandleId, rooms.Handle.Id);
        Assert.Equal(
            [new VideoRoomInfo(5, "d", true, 2, 6, "opus", "vp8", true), new VideoRoomInfo(6, "e", false, 0, 3, null, null, false)],
            list);
        var posts = _handler.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(("/janus", "create"), (posts[0].Path, (string)posts[0].Body!["janus"]!));
        Assert.Equal(("/janus/111", "attach", "janus.plugin.videoroom"), (posts[1].Path, (string)posts[1].Body!["janus"]!, (string)posts[1].Body!["plugin"]!));
        Assert.Equal(("/janus/111/222", "message", "list"), (posts[2].Path, (string)posts[2].Body!["janus"]!, (string)posts[2].Body!["body"]!["request"]!));
        Assert.All(posts, p => Assert.False(string.IsNullOrEmpty((string?)p.Body!["transaction"])));
    }

    [Fact]
    public async Task Create_room_sends_every_option_and_returns_the_room_id()
    {
        JsonObject? sent = null;
        OnMessage = body =>
        {
            sent = (JsonObject)body["body"]!;
            return Success(body, """{"videoroom":"created","room":4242,"permanent":false}""");
        };
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var room = await rooms.CreateRoomAsync(new VideoRoomCreateOptions { Room = 4242, Description = "x", Publishers = 4, RequireE2ee = true, AudioCodec = "opus", VideoCodec = "vp8,h264", NotifyJoining = true });

        Assert.Equal(4242, room);
        Assert.Equal(
            """{"request":"create","permanent":false,"room":4242,"description":"x","publishers":4,"require_e2ee":true,"audiocodec":"opus","videocodec":"vp8,h264","notify_joining":true}""",
            sent!.ToJsonString());
    }

    [Fact]
    public async Task Ack_then_event_resolves_with_the_event_even_when_the_event_overtakes_the_ack()
    {
        OnMessage = body =>
        {
            // Janus may deliver the event on the long poll before the POST returns its ack.
            _handler.EnqueuePoll(Event(body, """{"videoroom":"joined","room":7,"id":99,"private_id":1234,"publishers":[{"id":5,"display":"alice"}]}"""));
            return Ack(body);
        };
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var joined = await rooms.JoinAsPublisherAsync(7, "bot");

        Assert.Equal(new VideoRoomJoined(7, 99, 1234, joined.Publishers), joined);
        Assert.Equal([new VideoRoomPublisher(5, "alice")], joined.Publishers);
    }

    [Fact]
    public async Task Event_after_ack_carries_the_jsep_answer()
    {
        OnMessage = body =>
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                _handler.EnqueuePoll(Event(body, """{"videoroom":"event","room":7,"configured":"ok"}""", """{"type":"answer","sdp":"v=0\r\n"}"""));
            });
            return Ack(body);
        };
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var answer = await rooms.PublishAsync(JanusJsep.Offer("v=0\r\noffer", e2ee: true));

        Assert.Equal(JanusJsep.Answer("v=0\r\n"), answer);
        var publish = _handler.Requests.Last(r => r.Body?["janus"]?.GetValue<string>() == "message").Body!;
        Assert.Equal("""{"type":"offer","sdp":"v=0\r\noffer","e2ee":true}""", publish["jsep"]!.ToJsonString());
    }

    [Fact]
    public async Task Plugin_error_in_an_event_is_a_typed_plugin_error_with_its_code()
    {
        OnMessage = body =>
        {
            _handler.EnqueuePoll(Event(body, """{"videoroom":"event","error_code":433,"error":"Room requires end-to-end encrypted media"}"""));
            return Ack(body);
        };
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var ex = await Assert.ThrowsAsync<JanusException>(() => rooms.PublishAsync(JanusJsep.Offer("v=0\r\n")));

        Assert.Equal((JanusErrorKind.Plugin, 433, "Room requires end-to-end encrypted media"), (ex.Kind, ex.Code, ex.Reason));
    }

    [Fact]
    public async Task Plugin_error_in_a_synchronous_answer_is_a_typed_plugin_error()
    {
        OnMessage = body => Success(body, """{"videoroom":"event","error_code":427,"error":"Room 5 already exists"}""");
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        var ex = await Assert.ThrowsAsync<JanusException>(() => rooms.CreateRoomAsync(new VideoRoomCreateOptions { Room = 5 }));

        Assert.Equal((JanusErrorKind.Plugin, 427), (ex.Kind, ex.Code));
    }

    [Fact]
    public async Task Gateway_error_is_a_typed_gateway_error()
    {
        _handler.OnPost = (path, body) => (string)body["janus"]! == "attach"
            ? $$$"""{"janus":"error","session_id":111,"transaction":"{{{body["transaction"]}}}","error":{"code":460,"reason":"No such plugin"}}"""
            : DefaultPost(path, body);
        await using var session = await _client.CreateSessionAsync();

        var ex = await Assert.ThrowsAsync<JanusException>(() => session.AttachAsync("janus.plugin.nope"));

        Assert.Equal((JanusErrorKind.Gateway, 460, "No such plugin"), (ex.Kind, ex.Code, ex.Reason));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"janus\":\"success\"}")]
    [InlineData("{\"janus\":\"success\",\"data\":{\"id\":\"x\"}}")]
    [InlineData("")]
    [InlineData("{\"janus\":\"success\",\"data\":{\"id\":1}")]
    public async Task Malformed_answers_are_typed_errors(string raw)
    {
        _handler.OnPost = (_, _) => raw;

        var ex = await Assert.ThrowsAsync<JanusException>(() => _client.CreateSessionAsync());

        Assert.Equal(JanusErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task Long_poll_routes_unsolicited_events_to_their_handle_and_survives_malformed_answers()
    {
        var (session, rooms) = await OpenAsync();
        await using var sessionScope = session;

        _handler.EnqueuePoll("{ this is not json");
        _handler.EnqueuePoll("""[{"janus":"keepalive"},{"janus":"event","session_id":111,"sender":222,"plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","room":7,"publishers":[{"id":8,"display":"bob"}]}}},{"janus":"webrtcup","session_id":111,"sender":222}]""");
        _handler.EnqueuePoll("""{"janus":"hangup","session_id":111,"sender":222,"reason":"DTLS alert"}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var first = await rooms.Handle.Events.ReadAsync(cts.Token);
        var second = await rooms.Handle.Events.ReadAsync(cts.Token);
        var third = await rooms.Handle.Events.ReadAsync(cts.Token);

        Assert.Equal(JanusEventKind.PluginEvent, first.Kind);
        Assert.Equal([new VideoRoomPublisher(8, "bob")], VideoRoomClient.ReadPublishers(first.Data));
        Assert.Equal(JanusEventKind.WebRtcUp, second.Kind);
        Assert.Equal((JanusEventKind.Hangup, "DTLS alert"), (third.Kind, (string?)third.Data["reason"]));
        Assert.Equal(1, session.MalformedEventCount);
        Assert.Contains(_handler.Requests, r => r.Method == "GET" && r.Path.StartsWith("/janus/111?maxev=10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_such_session_on_the_long_poll_closes_the_session_and_fails_later_requests()
    {
        await using var session = await _client.CreateSessionAsync();

        _handler.EnqueuePoll("""{"janus":"error","session_id":111,"error":{"code":458,"reason":"No such session 111"}}""");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (session.ClosedReason is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(458, session.ClosedReason?.Code);
        var ex = await Assert.ThrowsAsync<JanusException>(() => session.AttachAsync(VideoRoomClient.PluginName));
        Assert.Equal(JanusErrorKind.SessionClosed, ex.Kind);
    }

    [Fact]
    public async Task Keepalive_is_sent_on_the_configured_interval()
    {
        using var http = new HttpClient(_handler);
        var client = new JanusClient(http, new JanusClientOptions { BaseUri = new Uri("http://janus.test/janus"), KeepaliveInterval = TimeSpan.FromMilliseconds(50) });
        await using var session = await client.CreateSessionAsync();

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_handler.Requests.Count(r => r.Body?["janus"]?.GetValue<string>() == "keepalive") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var keepalives = _handler.Requests.Where(r => r.Body?["janus"]?.GetValue<string>() == "keepalive").ToList();
        Assert.True(keepalives.Count >= 2, $"{keepalives.Count} keepalives");
        Assert.All(keepalives, k => Assert.Equal("/janus/111", k.Path));
    }

    [Fact]
    public async Task Dispose_destroys_the_session_and_fails_waiting_requests()
    {
        OnMessage = Ack;
        var (session, rooms) = await OpenAsync();
        var join = rooms.JoinAsPublisherAsync(1, "x");
        await Task.Delay(50);

        await session.DisposeAsync();

        var ex = await Assert.ThrowsAsync<JanusException>(() => join);
        Assert.Equal(JanusErrorKind.SessionClosed, ex.Kind);
        Assert.Contains(_handler.Requests, r => r.Body?["janus"]?.GetValue<string>() == "destroy");
    }
}
