using System.Net;

namespace Callbridge.Ice.Tests;

/// <summary>Consent freshness (RFC 7675) on real sockets with a fake clock.</summary>
public class IceConsentTests
{
    [Fact]
    public async Task PeerThatStopsAnswering_GoesDisconnectedThenFailed()
    {
        var time = new ManualTimeProvider();
        IPAddress ip = IPAddress.Loopback;
        var h = new AgentHarness(
            AgentHarness.Options(IceRole.Controlling, ip, time: time),
            AgentHarness.Options(IceRole.Controlled, ip, time: time));
        try
        {
            await AgentHarness.Pump(time, () => AgentHarness.IsUp(h.A) && AgentHarness.IsUp(h.B), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), "connection");

            // While the peer answers, consent holds far beyond the 30 s limit.
            TimeSpan healthyStart = time.Elapsed;
            await AgentHarness.Pump(time, () => time.Elapsed - healthyStart > TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60), "45 s of healthy consent");
            Assert.True(AgentHarness.IsUp(h.A), h.A.State.ToString());
            Assert.DoesNotContain(IceConnectionState.Disconnected, h.AStates);

            // The peer goes silent.
            await h.B.DisposeAsync();
            TimeSpan silentFrom = time.Elapsed;
            await AgentHarness.Pump(time, () => h.A.State == IceConnectionState.Disconnected, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20), "disconnected");
            TimeSpan disconnectedAfter = time.Elapsed - silentFrom;
            // The last consent response came at most one period (<= 6 s) before silence.
            Assert.InRange(disconnectedAfter, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10.5));
            Assert.True(h.A.TrySend([0x80, 0, 0, 0]));

            await AgentHarness.Pump(time, () => h.A.State == IceConnectionState.Failed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(40), "failed");
            TimeSpan failedAfter = time.Elapsed - silentFrom;
            Assert.InRange(failedAfter, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(30.5));
            // RFC 7675 §5.1: once consent expires, nothing more is sent.
            Assert.Null(h.A.SelectedPair);
            Assert.False(h.A.TrySend([0x80, 0, 0, 0]));
        }
        finally
        {
            await h.DisposeAsync();
        }
    }
}
