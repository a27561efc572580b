using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;
using Xunit.Abstractions;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>The typed client and the launcher against a real Janus 1.1.2 in the test namespace.</summary>
public sealed class JanusStackTests(JanusFixture janus, ITestOutputHelper output) : IClassFixture<JanusFixture>
{
    private Task Run(Func<Task> body) => FailureLogs.RunAsync(output, body, janus);

    [Fact]
    public Task Janus_loads_only_the_configured_plugins_and_transports() => Run(async () =>
    {
        var info = await janus.Client.GetInfoAsync();

        Assert.Equal("1.1.2", info.VersionString);
        Assert.Equal(JanusFixture.Plugins.Select(p => "janus.plugin." + p), info.Plugins.Order(StringComparer.Ordinal));
        Assert.Equal(["janus.transport.http", "janus.transport.websockets"], info.Transports.Order(StringComparer.Ordinal));
        Assert.Equal(TestEnvironment.TestIp.ToString(), janus.HttpUri.Host);
        Assert.True(File.Exists(janus.LogPath));
    });

    [Fact]
    public Task Videoroom_admin_requests_round_trip() => Run(async () =>
    {
        var room = await janus.Rooms.CreateRoomAsync(new VideoRoomCreateOptions
        {
            Room = janus.NextRoomId(),
            Description = "admin round trip",
            Publishers = 4,
            AudioCodec = "opus",
            VideoCodec = "vp8,h264",
            NotifyJoining = true,
        });

        Assert.True(await janus.Rooms.ExistsAsync(room));
        var listed = Assert.Single(await janus.Rooms.ListAsync(), r => r.Room == room);
        Assert.Equal(new VideoRoomInfo(room, "admin round trip", false, 0, 4, "opus", "vp8,h264", true), listed);
        Assert.Empty(await janus.Rooms.ListParticipantsAsync(room));

        var duplicate = await Assert.ThrowsAsync<JanusException>(() => janus.Rooms.CreateRoomAsync(new VideoRoomCreateOptions { Room = room }));
        Assert.Equal((JanusErrorKind.Plugin, 427), (duplicate.Kind, duplicate.Code));

        await janus.Rooms.DestroyRoomAsync(room);
        Assert.False(await janus.Rooms.ExistsAsync(room));
        var missing = await Assert.ThrowsAsync<JanusException>(() => janus.Rooms.ListParticipantsAsync(room));
        Assert.Equal((JanusErrorKind.Plugin, 426), (missing.Kind, missing.Code));
    });

    [Fact]
    public Task Joining_publishers_are_listed_and_announced_to_others_through_the_long_poll() => Run(async () =>
    {
        var room = await janus.CreateRoomAsync(notifyJoining: true);
        await using var first = await janus.CreateSessionAsync();
        await using var second = await janus.CreateSessionAsync();
        var alice = await VideoRoomClient.AttachAsync(first);
        var bob = await VideoRoomClient.AttachAsync(second);

        var aliceJoined = await alice.JoinAsPublisherAsync(room, "alice");
        var bobJoined = await bob.JoinAsPublisherAsync(room, "bob");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        VideoRoomEvent? joining;
        do
        {
            VideoRoomEvent.TryParse(await alice.Handle.Events.ReadAsync(cts.Token), out joining);
        }
        while (joining?.Kind != VideoRoomEventKind.Joining);

        Assert.Equal(room, aliceJoined.Room);
        Assert.NotEqual(aliceJoined.Id, bobJoined.Id);
        Assert.Equal((room, bobJoined.Id, "bob"), (joining.Room, joining.ParticipantId, joining.Display));
        var participants = await janus.Rooms.ListParticipantsAsync(room);
        Assert.Equal(["alice", "bob"], participants.Select(p => p.Display).Order(StringComparer.Ordinal));
        Assert.All(participants, p => Assert.False(p.Publisher));
    });

    [Fact]
    public Task Session_survives_longer_than_the_session_timeout_through_keepalives() => Run(async () =>
    {
        // A client with a 1 s keepalive against a Janus whose long poll alone would also keep it:
        // the proof is that a request after several keepalives still finds the session.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new JanusClient(http, new JanusClientOptions { BaseUri = janus.HttpUri, KeepaliveInterval = TimeSpan.FromSeconds(1) });
        await using var session = await client.CreateSessionAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));

        var rooms = await VideoRoomClient.AttachAsync(session);

        Assert.Null(session.ClosedReason);
        Assert.NotNull(await rooms.ListAsync());
        Assert.Equal(0, session.MalformedEventCount);
    });
}
