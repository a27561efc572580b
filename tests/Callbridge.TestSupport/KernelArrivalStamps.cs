using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Callbridge.Udp;

namespace Callbridge.TestSupport;

/// <summary>
/// Keeps the kernel stamping datagrams on arrival for as long as it is held. Linux turns arrival stamps on a moment
/// after the first socket of the machine asks for them (net_enable_timestamp defers the switch to a work queue), and
/// off after the last such socket closes; a datagram that arrives in between is stamped only when it is taken.
/// A test that measures a wait from the stamps holds one of these, so its first datagram is stamped like the rest.
/// </summary>
public sealed class KernelArrivalStamps : IDisposable
{
    private readonly Socket _socket;
    private readonly UdpBatchReceiver _receiver;

    private KernelArrivalStamps(Socket socket, UdpBatchReceiver receiver)
    {
        _socket = socket;
        _receiver = receiver;
    }

    /// <summary>Asks for arrival stamps and returns once a probe datagram shows them on; throws if they never are.</summary>
    public static KernelArrivalStamps Enable(TimeSpan timeout)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 64, 1, arrivalTimes: true)
            ?? throw new PlatformNotSupportedException("recvmmsg with arrival stamps needs Linux.");
        var stamps = new KernelArrivalStamps(socket, receiver);
        try
        {
            long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                // A probe that waits 20 ms in the socket shows that wait only if the kernel stamped its arrival.
                socket.SendTo([1], socket.LocalEndPoint!);
                Thread.Sleep(20);
                if (receiver.Receive() == UdpBatchStatus.Received && receiver.GetTimeQueued(0) >= TimeSpan.FromMilliseconds(15))
                {
                    return stamps;
                }
            }
        }
        catch
        {
            stamps.Dispose();
            throw;
        }

        stamps.Dispose();
        throw new TimeoutException($"The kernel did not stamp datagrams on arrival within {timeout.TotalSeconds:F0} s.");
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _socket.Dispose();
    }
}
