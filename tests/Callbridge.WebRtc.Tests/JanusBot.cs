using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;

namespace Callbridge.WebRtc.Tests;

/// <summary>A PeerConnection with its own Janus session and VideoRoom handle, as the bot uses them.</summary>
internal sealed class JanusBot : IAsyncDisposable
{
    private JanusBot(JanusSession session, VideoRoomClient room, PeerConnection connection)
    {
        Session = session;
        Room = room;
        Connection = connection;
    }

    public JanusSession Session { get; }

    public VideoRoomClient Room { get; }

    public PeerConnection Connection { get; }

    /// <summary>ICE only on the namespace's veth, where Janus gathers too.</summary>
    public static PeerConnectionOptions Options() => new()
    {
        Interfaces = [TestEnvironment.TestInterface],
        Addresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    };

    /// <summary>Subscribes to every stream of <paramref name="feed"/>: Janus offers, the connection answers, then start.</summary>
    public static async Task<JanusBot> SubscribeAsync(JanusFixture janus, long room, long feed, ReceivedFrameHandler onFrame, TrackEncryptedHandler? onEncrypted = null)
    {
        // The browser's join resolves when Janus answered its publish; the feed is subscribable once its
        // media is up (Janus answers 428 "No such feed" before that).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await janus.Rooms.ListParticipantsAsync(room)).Any(p => p.Id == feed && p.Publisher))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"feed {feed} never became a publisher in room {room}");
            await Task.Delay(100);
        }

        JanusSession session = await janus.CreateSessionAsync();
        VideoRoomClient rooms = await VideoRoomClient.AttachAsync(session);
        JanusJsep offer = await rooms.JoinAsSubscriberAsync(room, [feed]);
        var connection = new PeerConnection(Options()) { FrameReceived = onFrame, TrackEncrypted = onEncrypted };
        var bot = new JanusBot(session, rooms, connection);
        PeerConnectionError error = connection.TryApplyOffer(offer.Sdp, out string? answer);
        Assert.True(error == PeerConnectionError.None, $"{error} {connection.AnswerError}\n{offer.Sdp}");
        await rooms.StartAsync(JanusJsep.Answer(answer!));
        return bot;
    }

    /// <summary>Joins as publisher and publishes our sendonly Opus offer.</summary>
    public static async Task<JanusBot> PublishAsync(JanusFixture janus, long room, string display)
    {
        JanusSession session = await janus.CreateSessionAsync();
        VideoRoomClient rooms = await VideoRoomClient.AttachAsync(session);
        await rooms.JoinAsPublisherAsync(room, display);
        var connection = new PeerConnection(Options());
        var bot = new JanusBot(session, rooms, connection);
        Assert.Equal(PeerConnectionError.None, connection.TryCreateAudioOffer(out string? offer));
        JanusJsep answer = await rooms.PublishAsync(JanusJsep.Offer(offer!));
        PeerConnectionError error = connection.TryApplyAnswer(answer.Sdp);
        Assert.True(error == PeerConnectionError.None, $"{error}\n{answer.Sdp}");
        return bot;
    }

    public async Task<PeerConnectionState> WaitSettledAsync() =>
        await Connection.Settled.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Session.DisposeAsync();
    }
}
