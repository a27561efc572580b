using System.Threading.Channels;
using Callbridge.Conference.Janus;
using Callbridge.Janus;
using Callbridge.Janus.Embedded;
using Callbridge.Janus.VideoRoom;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.Conference.Tests;

/// <summary>The conference client on a real Janus, with real Chromium participants.</summary>
public sealed partial class JanusConferenceTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    private JanusConferenceConnector Connector(Uri? uri = null, TimeSpan? poll = null, bool sendOnCallerThread = false) => new(_http, new JanusConferenceOptions
    {
        SendOnCallerThread = sendOnCallerThread,
        JanusUri = uri ?? janus.HttpUri,
        PolicyPollInterval = poll ?? TimeSpan.FromSeconds(1),
        ReconnectDelay = TimeSpan.FromMilliseconds(200),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
        ReconnectTimeout = TimeSpan.FromSeconds(60),
        IceInterfaces = [TestEnvironment.TestInterface],
        IceAddresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    });

    [Fact]
    public Task Probe_reports_e2ee_policy_from_list_without_joining() => FailureLogs.RunAsync(output, async () =>
    {
        long plain = await janus.CreateRoomAsync();
        long e2ee = await janus.CreateRoomAsync(requireE2ee: true);
        var connector = Connector();

        ConferenceProbe a = await connector.ProbeAsync(plain.ToString(), default);
        ConferenceProbe b = await connector.ProbeAsync(e2ee.ToString(), default);
        ConferenceProbe missing = await connector.ProbeAsync("987654321", default);

        Assert.Equal((true, false, 0), (a.Exists, a.RequiresE2ee, a.ParticipantCount));
        Assert.Equal((true, true), (b.Exists, b.RequiresE2ee));
        Assert.False(missing.Exists);
    }, janus);

    [Fact]
    public Task Bot_sees_a_chromium_participant_publish_and_leave() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync(notifyJoining: true);
        string folder = TestEnvironment.NewFolder("conference");
        string wav = await SpeechSynth.WriteWavAsync("the quick brown fox", FliteVoice.Slt, SpeechSynth.WebRtcRate, folder);
        string y4m = await TestVideo.WriteY4mAsync(folder);

        await using IConferenceSession bot = await Connector().JoinAsync(new ConferenceJoinRequest(room.ToString(), "recorder", BotRole.Subscriber), default);
        Assert.False(bot.RequiresE2ee);
        await ExpectAsync<ConferencePolicyChanged>(bot.Events);

        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = wav, FakeVideoY4m = y4m });
        await alice.JoinAsync(new ParticipantJoinOptions { Server = janus.HttpUri.ToString(), Room = room, Display = "Alice", PublishAudio = true, PublishVideo = true });

        var joined = await ExpectAsync<ParticipantJoined>(bot.Events);
        Assert.Equal("Alice", joined.Participant.DisplayName);
        var first = await ExpectAsync<TrackPublished>(bot.Events);
        var second = await ExpectAsync<TrackPublished>(bot.Events);
        Assert.Equal([(TrackKind.Audio, "opus"), (TrackKind.Video, "vp8")],
            new[] { first.Track, second.Track }.OrderBy(t => t.Kind).Select(t => (t.Kind, t.Codec)));
        Assert.All(bot.Participants.Single().Tracks, t => Assert.Equal(joined.Participant.ParticipantId, t.ParticipantId));

        await alice.LeaveAsync();
        await ExpectAsync<TrackUnpublished>(bot.Events);
        await ExpectAsync<TrackUnpublished>(bot.Events);
        var left = await ExpectAsync<ParticipantLeft>(bot.Events);
        Assert.Equal(joined.Participant.ParticipantId, left.ParticipantId);
        Assert.Empty(bot.Participants);
    }, janus, browser);

    [Fact]
    public Task The_sessions_of_one_connector_poll_one_room_list_between_them() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync();
        var connector = Connector(poll: TimeSpan.FromMilliseconds(400));
        var sessions = new List<IConferenceSession>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                sessions.Add(await connector.JoinAsync(new ConferenceJoinRequest(room.ToString(), "bot" + i, BotRole.Subscriber), default));
            }

            int before = connector.Rooms.Fetches;
            await Task.Delay(TimeSpan.FromSeconds(3));
            int fetches = connector.Rooms.Fetches - before;

            // Eight sessions polling every 400 ms alone would fetch about 60 lists in 3 s. One list serves every poll
            // within 200 ms: at most one per 200 ms (and one in flight), and the polls go on (at least one per second).
            output.WriteLine($"{fetches} room lists fetched in 3 s by 8 sessions polling every 400 ms");
            Assert.InRange(fetches, 3, 17);
            // Every session still follows its room: none read a shared list as the room gone.
            foreach (IConferenceSession session in sessions)
            {
                var seen = new List<ConferenceEvent>();
                while (session.Events.TryRead(out ConferenceEvent? e))
                {
                    seen.Add(e);
                }

                Assert.DoesNotContain(seen, e => e is ConferenceEnded or ConferenceDisconnected);
                Assert.False(session.RequiresE2ee);
            }
        }
        finally
        {
            foreach (IConferenceSession session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }, janus);

    [Fact]
    public Task Joining_a_missing_room_is_a_typed_not_found() => FailureLogs.RunAsync(output, async () =>
    {
        var error = await Assert.ThrowsAsync<ConferenceException>(() =>
            Connector().JoinAsync(new ConferenceJoinRequest("555555", "bot", BotRole.Subscriber), default));
        Assert.Equal(ConferenceErrorKind.NotFound, error.Kind);
    }, janus);

    [Fact]
    public Task Janus_killed_and_restarted_bot_reports_the_loss_and_rejoins_when_the_room_exists_again() => FailureLogs.RunAsync(output, async () =>
    {
        // A Janus of this test's own, restarted on the same port as an operator's supervisor would.
        string folder = TestEnvironment.NewFolder("janus-restart");
        var options = new JanusServerOptions { WorkFolder = folder, BindAddress = TestEnvironment.TestIp, IceInterface = TestEnvironment.TestInterface, WebSocketPort = -1 };
        JanusServer first = await JanusServer.StartAsync(options);
        int port = first.Layout.HttpPort;
        const long room = 4242;
        await CreateRoomAsync(first.HttpUri, room);

        var connector = Connector(first.HttpUri, poll: TimeSpan.FromMilliseconds(500));
        IConferenceSession bot = await connector.JoinAsync(new ConferenceJoinRequest(room.ToString(), "bot", BotRole.Subscriber), default);
        await ExpectAsync<ConferencePolicyChanged>(bot.Events);

        await first.DisposeAsync(); // SIGTERM, then SIGKILL: the process is gone
        var lost = await ExpectAsync<ConferenceDisconnected>(bot.Events);
        output.WriteLine("lost: " + lost.Reason);

        await using JanusServer second = await JanusServer.StartAsync(new JanusServerOptions
        {
            WorkFolder = Path.Combine(folder, "second"), BindAddress = TestEnvironment.TestIp, IceInterface = TestEnvironment.TestInterface,
            HttpPort = port, WebSocketPort = -1,
        });
        await Task.Delay(1500); // the room does not exist yet: the bot keeps trying
        Assert.False(bot.Events.TryPeek(out var early) && early is ConferenceReconnected, "rejoined a room that does not exist");
        await CreateRoomAsync(second.HttpUri, room);

        var back = await ExpectAsync<ConferenceReconnected>(bot.Events);
        Assert.True(back.Attempts >= 1);
        await bot.LeaveAsync(default);
    }, janus);

    private async Task CreateRoomAsync(Uri janusUri, long room)
    {
        var client = new JanusClient(_http, new JanusClientOptions { BaseUri = janusUri });
        await using JanusSession session = await client.CreateSessionAsync();
        VideoRoomClient rooms = await VideoRoomClient.AttachAsync(session);
        await rooms.CreateRoomAsync(new VideoRoomCreateOptions { Room = room, Publishers = 10 });
    }

    /// <summary>Skips other event kinds until one of type <typeparamref name="T"/> arrives.</summary>
    private async Task<T> ExpectAsync<T>(ChannelReader<ConferenceEvent> events) where T : ConferenceEvent
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            ConferenceEvent next;
            try
            {
                next = await events.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} within {Patience.TotalSeconds} s");
            }
            output.WriteLine($"event: {next}");
            if (next is T match) return match;
        }
    }
}
