using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;
using Xunit.Abstractions;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>Janus 1.1.2's require_e2ee: how a room says it, and what it refuses.</summary>
public sealed class E2eeRoomTests(JanusFixture janus, ITestOutputHelper output) : IClassFixture<JanusFixture>
{
    // A minimal valid audio-only WebRTC offer; Janus checks require_e2ee before it negotiates.
    private const string AudioOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=ice-options:trickle\r\na=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=ssrc:1111 cname:test\r\n";

    private Task Run(Func<Task> body) => FailureLogs.RunAsync(output, body, janus);

    [Fact]
    public Task List_reports_require_e2ee_only_for_the_e2ee_room() => Run(async () =>
    {
        var e2ee = await janus.CreateRoomAsync(requireE2ee: true);
        var plain = await janus.CreateRoomAsync();

        var rooms = await janus.Rooms.ListAsync();

        Assert.True(rooms.Single(r => r.Room == e2ee).RequireE2ee);
        Assert.False(rooms.Single(r => r.Room == plain).RequireE2ee);
    });

    [Fact]
    public Task E2ee_room_rejects_a_publisher_whose_jsep_lacks_e2ee_with_433() => Run(async () =>
    {
        var room = await janus.CreateRoomAsync(requireE2ee: true);
        await using var session = await janus.CreateSessionAsync();
        var publisher = await VideoRoomClient.AttachAsync(session);
        await publisher.JoinAsPublisherAsync(room, "clear-sender");

        var ex = await Assert.ThrowsAsync<JanusException>(() => publisher.PublishAsync(JanusJsep.Offer(AudioOffer)));

        Assert.Equal((JanusErrorKind.Plugin, 433), (ex.Kind, ex.Code));
        Assert.Contains("end-to-end", ex.Reason, StringComparison.Ordinal);
    });

    [Fact]
    public Task E2ee_room_accepts_the_same_offer_marked_e2ee() => Run(async () =>
    {
        var room = await janus.CreateRoomAsync(requireE2ee: true);
        await using var session = await janus.CreateSessionAsync();
        var publisher = await VideoRoomClient.AttachAsync(session);
        await publisher.JoinAsPublisherAsync(room, "e2ee-sender");

        var answer = await publisher.PublishAsync(JanusJsep.Offer(AudioOffer, e2ee: true));

        Assert.Equal("answer", answer.Type);
        Assert.Contains("m=audio", answer.Sdp, StringComparison.Ordinal);
        Assert.Contains($"c=IN IP4 {TestEnvironment.TestIp}", answer.Sdp, StringComparison.Ordinal);
    });
}
