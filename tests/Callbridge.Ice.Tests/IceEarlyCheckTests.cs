using System.Net;
using Callbridge.Stun;

namespace Callbridge.Ice.Tests;

/// <summary>
/// The offerer's side of a publication: the answerer (Janus) has our candidates from the offer and checks us
/// before its answer reaches us. Our agent against a scripted peer on loopback, with a fake clock deciding
/// when each Ta tick falls relative to the signalling.
/// </summary>
public class IceEarlyCheckTests
{
    private static readonly TimeSpan Ta = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RequestBeforeTheAnswer_IsAnsweredAndAuthenticated()
    {
        var time = new ManualTimeProvider();
        using var peer = new ScriptedStunPeer(IPAddress.Loopback);
        await using var agent = new IceAgent(AgentHarness.Options(IceRole.Controlling, IPAddress.Loopback, time: time));
        IPEndPoint ours = agent.Start()[0].EndPoint;

        // RFC 8445 §7.3: remote credentials and candidates are still unknown; the check must still be answered.
        byte[] sent = peer.SendCheck(agent, ours);
        ScriptedStunPeer.Received answer = await peer.ReceiveAsync(StunClass.SuccessResponse, Wait);
        Assert.Equal(sent, answer.TransactionId);
        Assert.Equal(ours, answer.From);

        IceDiagnostics diagnostics = await agent.GetDiagnosticsAsync();
        Assert.Equal(1, diagnostics.RequestsBeforeRemoteCredentials);
        IcePairDiagnostics pair = Assert.Single(diagnostics.Pairs);
        Assert.Equal(peer.EndPoint, pair.Remote);
        Assert.Equal(IceCandidateType.PeerReflexive, pair.RemoteType);
        Assert.Equal(1, diagnostics.RequestsReceived);
        Assert.Equal(1, pair.RequestsAnswered);
        Assert.Equal(0, pair.ChecksSent);
    }

    /// <summary>
    /// The answer's credentials are applied, a Ta tick sends our triggered check to the peer-reflexive candidate
    /// learned from the early request, and only then is the answer's candidate for the same address added.
    /// The pair the check belongs to must stay the pair on the check list, or its success is lost, the pair
    /// stays In-Progress for ever and the controlling agent never nominates (the peer then fails ICE).
    /// </summary>
    [Fact]
    public async Task CheckInFlightWhenThePeerReflexiveCandidateIsSignalled_StillSucceedsAndIsNominated()
    {
        var time = new ManualTimeProvider();
        using var peer = new ScriptedStunPeer(IPAddress.Loopback);
        await using var agent = new IceAgent(AgentHarness.Options(IceRole.Controlling, IPAddress.Loopback, time: time));
        IPEndPoint ours = agent.Start()[0].EndPoint;

        peer.SendCheck(agent, ours);
        await peer.ReceiveAsync(StunClass.SuccessResponse, Wait);

        agent.SetRemoteCredentials(peer.Credentials);
        time.Advance(Ta);
        ScriptedStunPeer.Received check = await peer.ReceiveAsync(StunClass.Request, Wait);
        Assert.True(check.SignedWithOurPassword);
        Assert.False(check.UseCandidate);

        agent.AddRemoteCandidate(peer.HostCandidate);
        peer.SendSuccess(check);

        // Regular nomination (RFC 8445 §8.1.1): the valid pair is checked again with USE-CANDIDATE.
        ScriptedStunPeer.Received? nomination = null;
        for (TimeSpan start = time.Elapsed; nomination is null; time.Advance(Ta), await Task.Delay(3))
        {
            if (time.Elapsed - start > TimeSpan.FromSeconds(5))
            {
                Assert.Fail("No check with USE-CANDIDATE within 5 s of fake time: " + await agent.GetDiagnosticsAsync());
            }

            while (nomination is null && peer.TryTake(out ScriptedStunPeer.Received? r))
            {
                nomination = r is { Class: StunClass.Request, UseCandidate: true } ? r : null;
            }
        }

        peer.SendSuccess(nomination!);
        await AgentHarness.Pump(time, () => AgentHarness.IsUp(agent), Ta, TimeSpan.FromSeconds(2), "the agent connected");
        Assert.Equal(IceCandidateType.Host, agent.SelectedPair!.Remote.Type);
        Assert.Equal(peer.EndPoint, agent.SelectedPair.Remote.EndPoint);

        IceDiagnostics diagnostics = await agent.GetDiagnosticsAsync();
        IcePairDiagnostics pair = Assert.Single(diagnostics.Pairs);
        Assert.Equal(IceCandidatePairState.Succeeded, pair.State);
        Assert.True(pair.Nominated);
        Assert.True(pair.ChecksSent >= 2, diagnostics.ToString());
        Assert.True(pair.ResponsesReceived >= 2, diagnostics.ToString());
    }

    /// <summary>RFC 8489 §6.2.1 / RFC 8445 §14.3: a lost check is sent again, same transaction, after the 500 ms RTO.</summary>
    [Fact]
    public async Task LostFirstCheck_IsRetransmittedAfterTheRto_AndThePairSucceeds()
    {
        var time = new ManualTimeProvider();
        using var peer = new ScriptedStunPeer(IPAddress.Loopback);
        await using var agent = new IceAgent(AgentHarness.Options(IceRole.Controlling, IPAddress.Loopback, time: time));
        agent.Start();
        agent.SetRemoteCredentials(peer.Credentials);
        agent.AddRemoteCandidate(peer.HostCandidate);

        time.Advance(Ta);
        ScriptedStunPeer.Received first = await peer.ReceiveAsync(StunClass.Request, Wait); // "lost": not answered
        time.Advance(TimeSpan.FromMilliseconds(400));
        await Task.Delay(50);
        Assert.False(peer.TryTake(out _), "sent again before the RTO");

        time.Advance(TimeSpan.FromMilliseconds(150));
        ScriptedStunPeer.Received again = await peer.ReceiveAsync(StunClass.Request, Wait);
        Assert.Equal(first.TransactionId, again.TransactionId);
        peer.SendSuccess(again);

        ScriptedStunPeer.Received? nomination = null;
        for (TimeSpan start = time.Elapsed; nomination is null; time.Advance(Ta), await Task.Delay(3))
        {
            Assert.True(time.Elapsed - start < TimeSpan.FromSeconds(5), "no nomination: " + await agent.GetDiagnosticsAsync());
            while (nomination is null && peer.TryTake(out ScriptedStunPeer.Received? r))
            {
                nomination = r is { Class: StunClass.Request, UseCandidate: true } ? r : null;
            }
        }

        peer.SendSuccess(nomination!);
        await AgentHarness.Pump(time, () => AgentHarness.IsUp(agent), Ta, TimeSpan.FromSeconds(2), "the agent connected");
        IcePairDiagnostics pair = Assert.Single((await agent.GetDiagnosticsAsync()).Pairs);
        Assert.True(pair.ChecksSent >= 3, pair.ToString());
    }
}
