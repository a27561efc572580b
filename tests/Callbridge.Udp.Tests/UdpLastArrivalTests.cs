using System.Net;
using System.Net.Sockets;
using Callbridge.TestSupport;

namespace Callbridge.Udp.Tests;

/// <summary>SIOCGSTAMPNS through real loopback sockets (run inside the test network namespace).</summary>
public sealed class UdpLastArrivalTests
{
    [Fact]
    public void The_last_received_datagram_reads_as_having_waited_as_long_as_it_sat_in_the_socket()
    {
        using KernelArrivalStamps stamps = KernelArrivalStamps.Enable(TimeSpan.FromSeconds(5));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // The first call switches the socket's stamps on: nothing received yet, nothing to read.
        Assert.False(UdpLastArrival.TryGetTimeQueued(socket, out _));

        var buffer = new byte[16];
        socket.SendTo([1], socket.LocalEndPoint!);
        Thread.Sleep(60);
        socket.Receive(buffer);
        Assert.True(UdpLastArrival.TryGetTimeQueued(socket, out TimeSpan waited));
        Assert.InRange(waited.TotalMilliseconds, 50, 5_000);

        // A datagram taken as it arrives reads as a short wait: the stamp is the last datagram's, not the first's.
        socket.SendTo([2], socket.LocalEndPoint!);
        socket.Receive(buffer);
        Assert.True(UdpLastArrival.TryGetTimeQueued(socket, out waited));
        Assert.InRange(waited.TotalMilliseconds, 0, 40);
    }

    [Fact]
    public void A_closed_socket_reads_no_wait()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Dispose();
        Assert.False(UdpLastArrival.TryGetTimeQueued(socket, out TimeSpan waited));
        Assert.Equal(TimeSpan.Zero, waited);
    }
}
