using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.Sdp;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;

namespace Callbridge.Ice.Tests;

/// <summary>
/// The agent against a real Janus 1.1.2 (libnice) in the private namespace, with descriptions written
/// and read by Callbridge.Sdp, inside the test network namespace (scripts/test.sh).
/// </summary>
public class JanusInteropTests(JanusFixture janus, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<JanusFixture>
{
    private static IceAgentOptions AgentOptions(IceRole role) => new()
    {
        InitialRole = role,
        Interfaces = [TestEnvironment.TestInterface],
        Addresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
    };

    private static SdpCandidate ToSdp(IceCandidate c) =>
        new(c.Foundation, c.Component, "udp", c.Priority, c.EndPoint.Address.ToString(), c.EndPoint.Port, IceCandidate.TypeName(c.Type));

    private static IceCandidate ToIce(SdpCandidate c) =>
        new(c.Foundation, c.Component, c.Priority, new IPEndPoint(IPAddress.Parse(c.Address), c.Port),
            c.Type == "host" ? IceCandidateType.Host : c.Type == "srflx" ? IceCandidateType.ServerReflexive : IceCandidateType.Relayed);

    private static SdpFingerprint RandomFingerprint() => SdpFingerprint.FromDigest("sha-256", RandomNumberGenerator.GetBytes(32));

    private SessionDescription ParseJanus(JanusJsep? jsep, string expectedType)
    {
        Assert.NotNull(jsep);
        Assert.Equal(expectedType, jsep.Type);
        string text = jsep.Sdp;
        output.WriteLine($"Janus {expectedType}:\n{text}");
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? sdp, out SdpParseFailure failure), $"{failure}\n{text}");
        // What Janus wrote survives our model: serialize -> parse -> serialize is stable.
        Assert.Equal(sdp!.ToString(), SessionDescription.TryParse(sdp.ToString(), out SessionDescription? again, out _) ? again!.ToString() : null);
        return sdp;
    }

    private static void UseRemote(IceAgent agent, SessionDescription sdp, MediaDescription media)
    {
        agent.SetRemoteCredentials(new IceCredentials((media.IceUfrag ?? sdp.IceUfrag)!, (media.IcePwd ?? sdp.IcePwd)!));
        Assert.NotEmpty(media.Candidates);
        foreach (SdpCandidate candidate in media.Candidates.Where(c => c.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase)))
        {
            agent.AddRemoteCandidate(ToIce(candidate));
        }
    }

    [Fact]
    public async Task PublishOffer_AgentControlling_ConnectsToJanus_AndReceivesItsDtlsHello()
    {
        var received = new ConcurrentQueue<(byte[] Data, IPEndPoint From)>();
        await using var agent = new IceAgent(AgentOptions(IceRole.Controlling), (d, from) => received.Enqueue((d.ToArray(), from)));
        IReadOnlyList<IceCandidate> candidates = agent.Start();
        SessionDescription offer = SdpOfferBuilder.CreateAudioPublishOffer(new SdpAudioOfferOptions
        {
            IceUfrag = agent.LocalCredentials.UsernameFragment,
            IcePwd = agent.LocalCredentials.Password,
            Fingerprint = RandomFingerprint(),
            Source = new SdpMediaSource(0x1CB0_0001, "callbridge", "cb-stream", "cb-audio"),
            Candidates = candidates.Select(ToSdp).ToArray(),
            EndOfCandidates = true,
        });

        long room = await janus.CreateRoomAsync();
        await using JanusSession session = await janus.CreateSessionAsync();
        VideoRoomClient videoRoom = await VideoRoomClient.AttachAsync(session);
        await videoRoom.JoinAsPublisherAsync(room, "callbridge-ice");
        SessionDescription answer = ParseJanus(await videoRoom.PublishAsync(new JanusJsep("offer", offer.ToString())), "answer");

        MediaDescription audio = Assert.Single(answer.Media);
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.Equal(["111"], audio.Formats);
        Assert.Equal(SdpSetupRole.Active, audio.Setup ?? answer.Setup);
        UseRemote(agent, answer, audio);

        await AgentHarness.WaitUntil(() => agent.State is IceConnectionState.Connected or IceConnectionState.Completed, "ICE with Janus", TimeSpan.FromSeconds(20));
        Assert.Equal(IceRole.Controlling, agent.Role);
        IPEndPoint janusEndPoint = agent.SelectedPair!.Remote.EndPoint;
        Assert.Contains(audio.Candidates, c => c.Address == janusEndPoint.Address.ToString() && c.Port == janusEndPoint.Port);

        // Janus answered a=setup:active, so once ICE is up it starts DTLS: its ClientHello (RFC 7983: first
        // byte 22) reaches our datagram handler from the selected remote address.
        await AgentHarness.WaitUntil(() => received.Any(r => r.Data[0] == 22), "DTLS ClientHello from Janus", TimeSpan.FromSeconds(20));
        (byte[] hello, IPEndPoint from) = received.First(r => r.Data[0] == 22);
        Assert.Equal(janusEndPoint, from);
        Assert.Equal(0xFE, hello[1]); // DTLS version major byte

        // Janus (a full agent) checked us and every check was answered; the diagnostics name the nominated pair.
        IceDiagnostics diagnostics = await agent.GetDiagnosticsAsync();
        output.WriteLine(diagnostics.ToString());
        Assert.True(diagnostics.RequestsReceived > 0, diagnostics.ToString());
        Assert.Equal(0, diagnostics.BadRequestsSent + diagnostics.UnauthorizedSent + diagnostics.RoleConflictsSent);
        IcePairDiagnostics selected = Assert.Single(diagnostics.Pairs, p => p.Nominated);
        Assert.Equal(janusEndPoint, selected.Remote);
        Assert.Equal(IceCandidatePairState.Succeeded, selected.State);
        Assert.True(selected.RequestsAnswered > 0, selected.ToString());
    }

    [Fact]
    public async Task JanusOffer_AgentControlledAnswerer_CompletesChecksNominatedByJanus()
    {
        await using var agent = new IceAgent(AgentOptions(IceRole.Controlled));
        IReadOnlyList<IceCandidate> candidates = agent.Start();

        await using JanusSession session = await janus.CreateSessionAsync();
        JanusHandle streaming = await session.AttachAsync("janus.plugin.streaming");
        long mountpoint = janus.NextRoomId();
        await streaming.SendMessageAsync(new JsonObject
        {
            ["request"] = "create", ["type"] = "rtp", ["id"] = mountpoint, ["description"] = "callbridge ice test",
            ["media"] = new JsonArray(new JsonObject { ["type"] = "audio", ["mid"] = "a", ["port"] = 0, ["pt"] = 111, ["codec"] = "opus" }),
        });
        JanusPluginResponse watching = await streaming.SendMessageAsync(new JsonObject { ["request"] = "watch", ["id"] = mountpoint });
        SessionDescription offer = ParseJanus(watching.Jsep, "offer");
        MediaDescription offered = Assert.Single(offer.Media);
        Assert.Equal(SdpDirection.SendOnly, offered.Direction);

        var options = new SdpAnswerOptions
        {
            IceUfrag = agent.LocalCredentials.UsernameFragment,
            IcePwd = agent.LocalCredentials.Password,
            Fingerprint = RandomFingerprint(),
            Candidates = candidates.Select(ToSdp).ToArray(),
            EndOfCandidates = true,
        };
        Assert.True(SdpAnswerBuilder.TryCreateAnswer(offer, options, out SessionDescription? answer, out SdpAnswerError error), error.ToString());
        UseRemote(agent, offer, offered);
        // A plugin error would throw JanusException here.
        await streaming.SendMessageAsync(new JsonObject { ["request"] = "start" }, new JanusJsep("answer", answer!.ToString()));

        // Janus is the offerer, hence controlling; only its nomination selects a pair on our side.
        await AgentHarness.WaitUntil(() => agent.State is IceConnectionState.Connected or IceConnectionState.Completed, "ICE with Janus", TimeSpan.FromSeconds(20));
        Assert.Equal(IceRole.Controlled, agent.Role);
        IPEndPoint janusEndPoint = agent.SelectedPair!.Remote.EndPoint;
        Assert.Contains(offered.Candidates, c => c.Address == janusEndPoint.Address.ToString() && c.Port == janusEndPoint.Port);
    }
}
