using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace Callbridge.Ice.Tests;

/// <summary>The receive threads' socket-wait measurement, over real loopback sockets (run inside the test network namespace).</summary>
public class IceSocketWaitTests
{
    [Fact]
    public async Task While_listened_to_each_datagram_taken_reports_how_long_it_sat_in_the_socket()
    {
        var waits = new ConcurrentQueue<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == IceAgent.MeterName && instrument.Name == IceAgent.SocketWaitInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => waits.Enqueue(value));
        listener.Start();

        await using var h = new AgentHarness(AgentHarness.Options(IceRole.Controlling, IPAddress.Loopback), AgentHarness.Options(IceRole.Controlled, IPAddress.Loopback));
        await AgentHarness.WaitUntil(() => h.A.State == IceConnectionState.Completed && h.B.State == IceConnectionState.Completed, "both completed");
        int before = waits.Count;
        for (int i = 0; i < 20; i++)
        {
            Assert.True(h.A.TrySend([0x80, 0x6F, 0, (byte)i, 1, 2, 3, 4]));
            await Task.Delay(5);
        }

        await AgentHarness.WaitUntil(() => h.BReceived.Count >= 20, "datagrams at B");
        // Every datagram B's receive thread took was measured (the checks' and consent's too), each a wait the
        // thread could see: not negative, and far below a second on an idle loopback.
        Assert.True(waits.Count - before >= 20, $"{waits.Count - before} measured");
        Assert.All(waits, w => Assert.InRange(w, 0, 1000));
    }
}
