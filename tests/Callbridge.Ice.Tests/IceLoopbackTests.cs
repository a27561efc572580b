using System.Net;
using Callbridge.TestSupport;

namespace Callbridge.Ice.Tests;

/// <summary>
/// Two real agents over real UDP sockets on loopback. Run inside a private network namespace:
/// <c>unshare -n bash -c 'ip link set lo up; dotnet test tests/Callbridge.Ice.Tests --no-build'</c>.
/// </summary>
public class IceLoopbackTests
{
    private static readonly byte[] RtpLike = [0x80, 0x6F, 0x00, 0x01, 1, 2, 3, 4];

    private static async Task AssertDataFlowsBothWays(AgentHarness h)
    {
        Assert.True(h.A.TrySend(RtpLike));
        Assert.True(h.B.TrySend([0x16, 0xFE, 0xFD, 9])); // a DTLS-looking datagram
        await AgentHarness.WaitUntil(() => !h.AReceived.IsEmpty && !h.BReceived.IsEmpty, "data both ways");
        Assert.True(h.BReceived.TryDequeue(out var atB));
        Assert.Equal(RtpLike, atB.Data);
        Assert.Equal(h.A.SelectedPair!.Local.EndPoint, atB.From);
        Assert.True(h.AReceived.TryDequeue(out var atA));
        Assert.Equal(new byte[] { 0x16, 0xFE, 0xFD, 9 }, atA.Data);
        Assert.Equal(h.B.SelectedPair!.Local.EndPoint, atA.From);
    }

    [Theory]
    [InlineData(IceNominationMode.Regular, "127.0.0.1")]
    [InlineData(IceNominationMode.Aggressive, "127.0.0.1")]
    [InlineData(IceNominationMode.Regular, "::1")]
    public async Task ControllingAndControlled_Connect_AndCarryData(IceNominationMode mode, string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        await using var h = new AgentHarness(
            AgentHarness.Options(IceRole.Controlling, ip, mode),
            AgentHarness.Options(IceRole.Controlled, ip, mode));
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed && h.B.State == IceConnectionState.Completed, "both completed");

        Assert.Equal(IceRole.Controlling, h.A.Role);
        Assert.Equal(IceRole.Controlled, h.B.Role);
        Assert.Equal(h.A.SelectedPair!.Local.EndPoint, h.B.SelectedPair!.Remote.EndPoint);
        Assert.Equal(h.B.SelectedPair.Local.EndPoint, h.A.SelectedPair.Remote.EndPoint);
        Assert.Equal(IceCandidateType.Host, h.A.SelectedPair.Remote.Type);
        Assert.Contains(IceConnectionState.Checking, h.AStates);
        Assert.Contains(IceConnectionState.Checking, h.BStates);
        await AssertDataFlowsBothWays(h);
    }

    [Theory]
    [InlineData(IceNominationMode.Regular)]
    [InlineData(IceNominationMode.Aggressive)]
    public async Task DualStack_PairsOnlyWithinAFamily_AndSelectsTheHighestPriorityPair(IceNominationMode mode)
    {
        IceAgentOptions Both(IceRole role) => new()
        {
            InitialRole = role,
            Nomination = mode,
            IncludeLoopback = true,
            Addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
        };

        await using var h = new AgentHarness(Both(IceRole.Controlling), Both(IceRole.Controlled));
        Assert.Equal(2, h.A.LocalCandidates.Count);
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed && h.B.State == IceConnectionState.Completed, "both completed");
        // IPv6 host candidates have the higher local preference, so the IPv6 pair has the highest priority.
        Assert.Equal(IPAddress.IPv6Loopback, h.A.SelectedPair!.Local.EndPoint.Address);
        Assert.Equal(IPAddress.IPv6Loopback, h.A.SelectedPair.Remote.EndPoint.Address);
        Assert.Equal(h.A.SelectedPair.Local, h.B.SelectedPair!.Remote);
        await AssertDataFlowsBothWays(h);
    }

    [Theory]
    [InlineData(IceRole.Controlling)]
    [InlineData(IceRole.Controlled)]
    public async Task RoleConflict_IsResolvedByTieBreaker(IceRole both)
    {
        IPAddress ip = IPAddress.Loopback;
        await using var h = new AgentHarness(
            AgentHarness.Options(both, ip, tieBreaker: 1000),
            AgentHarness.Options(both, ip, tieBreaker: 5));
        await AgentHarness.WaitUntil(() => AgentHarness.IsUp(h.A) && AgentHarness.IsUp(h.B), "both connected");

        // RFC 8445 §7.3.1.1: the larger tie-breaker ends controlling.
        Assert.Equal(IceRole.Controlling, h.A.Role);
        Assert.Equal(IceRole.Controlled, h.B.Role);
        await AssertDataFlowsBothWays(h);
    }

    [Fact]
    public async Task CandidateNotSignalled_IsLearnedAsPeerReflexive()
    {
        IPAddress ip = IPAddress.Loopback;
        await using var h = new AgentHarness(
            AgentHarness.Options(IceRole.Controlling, ip),
            AgentHarness.Options(IceRole.Controlled, ip),
            tellBAboutA: false);
        await AgentHarness.WaitUntil(() => AgentHarness.IsUp(h.A) && AgentHarness.IsUp(h.B), "both connected");
        Assert.Equal(IceCandidateType.PeerReflexive, h.B.SelectedPair!.Remote.Type);
        Assert.Equal(h.A.SelectedPair!.Local.EndPoint, h.B.SelectedPair.Remote.EndPoint);
        await AssertDataFlowsBothWays(h);

        // The candidate arrives late through signalling: it replaces the peer-reflexive one (RFC 8445 §7.3.1.3).
        foreach (IceCandidate c in h.A.LocalCandidates)
        {
            h.B.AddRemoteCandidate(c);
        }

        await AgentHarness.WaitUntil(() => h.B.SelectedPair?.Remote.Type == IceCandidateType.Host, "prflx replaced by host");
        Assert.Equal(h.A.LocalCandidates[0], h.B.SelectedPair!.Remote);
        Assert.True(AgentHarness.IsUp(h.B));
    }

    [Fact]
    public async Task SendingOnTheSelectedPair_AllocatesNothing()
    {
        IPAddress ip = IPAddress.Loopback;
        await using var h = new AgentHarness(AgentHarness.Options(IceRole.Controlling, ip), AgentHarness.Options(IceRole.Controlled, ip));
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed, "completed");
        byte[] packet = new byte[172];
        packet[0] = 0x80;
        int sent = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                sent += h.A.TrySend(packet) ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(8 * 200, sent);
        await AgentHarness.WaitUntil(() => h.BReceived.Count >= 150, "datagrams at B");
    }

    [Fact]
    public async Task WrongRemotePassword_Fails()
    {
        IPAddress ip = IPAddress.Loopback;
        var a = new IceAgent(AgentHarness.Options(IceRole.Controlling, ip));
        var b = new IceAgent(AgentHarness.Options(IceRole.Controlled, ip));
        try
        {
            IReadOnlyList<IceCandidate> bCandidates = b.Start();
            a.Start();
            a.SetRemoteCredentials(new IceCredentials(b.LocalCredentials.UsernameFragment, "not-the-password-at-all-0"));
            b.SetRemoteCredentials(a.LocalCredentials);
            a.AddRemoteCandidate(bCandidates[0]);
            // b answers 401 (RFC 8489 §9.1.3); a's only pair fails at once, without waiting for timeouts.
            await AgentHarness.WaitUntil(() => a.State == IceConnectionState.Failed, "failed");
            Assert.Null(a.SelectedPair);
            Assert.False(a.TrySend(RtpLike));
            Assert.Equal(IceConnectionState.New, b.State);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        Assert.Equal(IceConnectionState.Closed, a.State);
        Assert.Equal(IceConnectionState.Closed, b.State);
    }

    [Fact]
    public async Task Gathering_FollowsTheAllowLists()
    {
        await using var both = new IceAgent(new IceAgentOptions { Interfaces = ["lo"], IncludeLoopback = true });
        IReadOnlyList<IceCandidate> candidates = both.Start();
        Assert.Contains(candidates, c => c.EndPoint.Address.Equals(IPAddress.Loopback));
        Assert.Contains(candidates, c => c.EndPoint.Address.Equals(IPAddress.IPv6Loopback));
        Assert.All(candidates, c => Assert.Equal(IceCandidateType.Host, c.Type));
        Assert.All(candidates, c => Assert.NotEqual(0, c.EndPoint.Port));
        // IPv6 ranks above IPv4 (RFC 8421), and every candidate has its own priority.
        Assert.True(candidates.Single(c => c.EndPoint.Address.Equals(IPAddress.IPv6Loopback)).Priority
            > candidates.Single(c => c.EndPoint.Address.Equals(IPAddress.Loopback)).Priority);

        await using var v4Only = new IceAgent(new IceAgentOptions { Interfaces = ["lo"], IncludeLoopback = true, EnableIPv6 = false });
        Assert.Equal(IPAddress.Loopback, Assert.Single(v4Only.Start()).EndPoint.Address);

        await using var noLoopback = new IceAgent(new IceAgentOptions { Interfaces = ["lo"] });
        Assert.Empty(noLoopback.Start());

        await using var byAddress = new IceAgent(new IceAgentOptions { IncludeLoopback = true, Addresses = [IPAddress.IPv6Loopback] });
        Assert.Equal(IPAddress.IPv6Loopback, Assert.Single(byAddress.Start()).EndPoint.Address);
    }

    [Fact]
    public async Task Restart_ReconnectsWithNewCredentials_AndMediaContinuesMeanwhile()
    {
        IPAddress ip = IPAddress.Loopback;
        await using var h = new AgentHarness(
            AgentHarness.Options(IceRole.Controlling, ip),
            AgentHarness.Options(IceRole.Controlled, ip));
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed && h.B.State == IceConnectionState.Completed, "first connection");
        IceCredentials oldA = h.A.LocalCredentials;
        IceCredentials oldB = h.B.LocalCredentials;

        IceCredentials newA = h.A.Restart();
        Assert.NotEqual(oldA, newA);
        Assert.Equal(newA, h.A.LocalCredentials);
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Checking, "A checking after restart");
        // The old pair still carries media until a new one is chosen (RFC 8445 §9).
        Assert.True(h.A.TrySend(RtpLike));
        await AgentHarness.WaitUntil(() => !h.BReceived.IsEmpty, "media during restart");
        h.BReceived.Clear();

        // Signalling: A's new offer reaches B, which sees new remote credentials and restarts too,
        // answering with its own new credentials (RFC 8445 §9.1.1); its answer reaches A.
        h.B.SetRemoteCredentials(newA);
        IceCredentials newB = h.B.Restart();
        h.A.SetRemoteCredentials(newB);
        foreach (IceCandidate c in h.B.LocalCandidates)
        {
            h.A.AddRemoteCandidate(c);
        }

        foreach (IceCandidate c in h.A.LocalCandidates)
        {
            h.B.AddRemoteCandidate(c);
        }

        int completedBefore = h.AStates.Count(s => s == IceConnectionState.Completed);
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed && h.B.State == IceConnectionState.Completed
            && h.AStates.Count(s => s == IceConnectionState.Completed) > completedBefore, "reconnection");
        Assert.NotEqual(oldB, newB);
        await AssertDataFlowsBothWays(h);
    }
}
