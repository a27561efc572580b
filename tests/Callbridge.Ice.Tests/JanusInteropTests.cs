using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Callbridge.Sdp;

namespace Callbridge.Ice.Tests;

/// <summary>
/// The agent against a real Janus 1.1.2 (libnice) in the private namespace, with descriptions written
/// and read by Callbridge.Sdp. Run inside <c>unshare -n</c>; the veth pair cb0/cb1 is created if absent.
/// </summary>
public class JanusInteropTests(JanusProcess janus, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<JanusProcess>
{
    private static IceAgentOptions AgentOptions(IceRole role) => new()
    {
        InitialRole = role,
        Interfaces = [PrivateNetwork.Interface],
        Addresses = [IPAddress.Parse(PrivateNetwork.Address)],
        EnableIPv6 = false,
    };

    private static SdpCandidate ToSdp(IceCandidate c) =>
        new(c.Foundation, c.Component, "udp", c.Priority, c.EndPoint.Address.ToString(), c.EndPoint.Port, IceCandidate.TypeName(c.Type));

    private static IceCandidate ToIce(SdpCandidate c) =>
        new(c.Foundation, c.Component, c.Priority, new IPEndPoint(IPAddress.Parse(c.Address), c.Port),
            c.Type == "host" ? IceCandidateType.Host : c.Type == "srflx" ? IceCandidateType.ServerReflexive : IceCandidateType.Relayed);

    private static SdpFingerprint RandomFingerprint() => SdpFingerprint.FromDigest("sha-256", RandomNumberGenerator.GetBytes(32));

    private SessionDescription ParseJanus(JsonObject janusEvent, string expectedType)
    {
        Assert.Equal(expectedType, (string?)janusEvent["jsep"]?["type"]);
        string text = (string)janusEvent["jsep"]!["sdp"]!;
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

        long session = await janus.CreateSessionAsync();
        long handle = await janus.AttachAsync(session, "janus.plugin.videoroom");
        string join = await janus.MessageAsync(session, handle, new JsonObject { ["request"] = "join", ["ptype"] = "publisher", ["room"] = 1234, ["display"] = "callbridge-ice" });
        JsonObject joined = await janus.WaitEventAsync(session, join);
        Assert.Equal("joined", (string?)joined["plugindata"]!["data"]!["videoroom"]);
        string publish = await janus.MessageAsync(session, handle, new JsonObject { ["request"] = "publish", ["audio"] = true, ["video"] = false },
            new JsonObject { ["type"] = "offer", ["sdp"] = offer.ToString() });
        SessionDescription answer = ParseJanus(await janus.WaitEventAsync(session, publish), "answer");

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
    }

    [Fact]
    public async Task JanusOffer_AgentControlledAnswerer_CompletesChecksNominatedByJanus()
    {
        await using var agent = new IceAgent(AgentOptions(IceRole.Controlled));
        IReadOnlyList<IceCandidate> candidates = agent.Start();

        long session = await janus.CreateSessionAsync();
        long handle = await janus.AttachAsync(session, "janus.plugin.streaming");
        string watch = await janus.MessageAsync(session, handle, new JsonObject { ["request"] = "watch", ["id"] = 1 });
        SessionDescription offer = ParseJanus(await janus.WaitEventAsync(session, watch), "offer");
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
        string start = await janus.MessageAsync(session, handle, new JsonObject { ["request"] = "start" },
            new JsonObject { ["type"] = "answer", ["sdp"] = answer!.ToString() });
        JsonObject started = await janus.WaitEventAsync(session, start);
        Assert.Null(started["plugindata"]!["data"]!["error"]);

        // Janus is the offerer, hence controlling; only its nomination selects a pair on our side.
        await AgentHarness.WaitUntil(() => agent.State is IceConnectionState.Connected or IceConnectionState.Completed, "ICE with Janus", TimeSpan.FromSeconds(20));
        Assert.Equal(IceRole.Controlled, agent.Role);
        IPEndPoint janusEndPoint = agent.SelectedPair!.Remote.EndPoint;
        Assert.Contains(offered.Candidates, c => c.Address == janusEndPoint.Address.ToString() && c.Port == janusEndPoint.Port);
    }
}
