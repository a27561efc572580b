using System.Net;

namespace Callbridge.Ice.Tests;

[CollectionDefinition(nameof(IceAllocationTests), DisableParallelization = true)]
public sealed class IceAllocationCollection;

/// <summary>
/// The media path through the agent allocates nothing per datagram: measured over the whole process
/// (receive loop included) while no other test runs. Run inside <c>unshare -n</c>.
/// </summary>
[Collection(nameof(IceAllocationTests))]
public class IceAllocationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task ReceivingAndSendingMedia_AllocatesNothingPerDatagram()
    {
        int received = 0;
        IPAddress ip = IPAddress.Loopback;
        await using var a = new IceAgent(AgentHarness.Options(IceRole.Controlling, ip));
        await using var b = new IceAgent(AgentHarness.Options(IceRole.Controlled, ip), (d, _) =>
        {
            if (d[0] == 0x80)
            {
                Interlocked.Increment(ref received);
            }
        });
        IReadOnlyList<IceCandidate> ac = a.Start();
        IReadOnlyList<IceCandidate> bc = b.Start();
        a.SetRemoteCredentials(b.LocalCredentials);
        b.SetRemoteCredentials(a.LocalCredentials);
        a.AddRemoteCandidate(bc[0]);
        b.AddRemoteCandidate(ac[0]);
        await AgentHarness.WaitUntil(() => a.State == IceConnectionState.Completed && b.State == IceConnectionState.Completed, "completed");

        byte[] packet = new byte[172];
        packet[0] = 0x80;
        SendBurst(100); // warm up the receive path (JIT, socket async state)

        // Process-wide, so the receive thread and the agents' loops count too; but so does anything else the
        // process does meanwhile (a finalizer, a thread-pool thread being added on a loaded machine). A per-datagram
        // allocation shows in every window; such one-off noise in one, so the least of three windows is judged.
        const int Count = 4000;
        double leastPerDatagram = double.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            int start = Volatile.Read(ref received);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            SendBurst(Count);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            int delivered = Volatile.Read(ref received) - start;

            output.WriteLine($"{allocated} bytes allocated in the process for {delivered} datagrams sent and received");
            Assert.InRange(delivered, Count * 9 / 10, Count); // loopback may drop a few under load
            leastPerDatagram = Math.Min(leastPerDatagram, allocated / (double)delivered);
        }

        // Consent checks allocate a little in the background; per datagram it must be ~0.
        Assert.True(leastPerDatagram < 16, $"{leastPerDatagram:F1} bytes per datagram in the least of three windows");

        // Blocking waits on the test thread: no Task.Delay allocations inside the measured window.
        void SendBurst(int n)
        {
            int target = Volatile.Read(ref received) + n;
            for (int i = 0; i < n; i++)
            {
                a.TrySend(packet);
                if (i % 50 == 49)
                {
                    Thread.Sleep(1); // let the receiver keep up: the socket buffer is finite
                }
            }

            // Wait until everything arrived, or nothing more arrives for 300 ms (loopback drops under load).
            int last = -1;
            DateTime quietSince = DateTime.UtcNow;
            while (Volatile.Read(ref received) < target && DateTime.UtcNow - quietSince < TimeSpan.FromMilliseconds(300))
            {
                int now = Volatile.Read(ref received);
                if (now != last)
                {
                    last = now;
                    quietSince = DateTime.UtcNow;
                }

                Thread.Sleep(5);
            }
        }
    }
}
