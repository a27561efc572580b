using System.Net;
using System.Net.Sockets;
using Callbridge.TestSupport;

namespace Callbridge.Udp.Tests;

/// <summary>recvmmsg through real loopback sockets (run inside the test network namespace).</summary>
public sealed class UdpBatchReceiverTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Takes_queued_datagrams_a_batch_at_a_time_in_order_with_each_sender_as_dotnet_gives_it(string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        using Socket socket = Bound(ip);
        using Socket alice = Bound(ip);
        using Socket bob = Bound(ip);
        using UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 2048, 8)!;
        for (int i = 0; i < 11; i++)
        {
            (i % 2 == 0 ? alice : bob).SendTo(Datagram(i), socket.LocalEndPoint!);
        }

        var from = new SocketAddress(ip.AddressFamily);
        var got = new List<(byte[] Data, SocketAddress From)>();
        Assert.Equal(UdpBatchStatus.Received, receiver.Receive());
        Assert.Equal(8, receiver.Count);
        Collect(receiver, from, got);
        Assert.Equal(UdpBatchStatus.Received, receiver.Receive());
        Assert.Equal(3, receiver.Count);
        Collect(receiver, from, got);
        Assert.Equal(UdpBatchStatus.Empty, receiver.Receive());
        Assert.Equal(0, receiver.Count);

        Assert.Equal(Enumerable.Range(0, 11).Select(Datagram), got.Select(g => g.Data));
        // The sender as .NET itself serializes it: the path lookup compares SocketAddress bytes.
        SocketAddress aliceAddress = alice.LocalEndPoint!.Serialize();
        SocketAddress bobAddress = bob.LocalEndPoint!.Serialize();
        Assert.All(got.Where((_, i) => i % 2 == 0), g => Assert.Equal(aliceAddress, g.From));
        Assert.All(got.Where((_, i) => i % 2 == 1), g => Assert.Equal(bobAddress, g.From));
        Assert.Equal(alice.LocalEndPoint, new IPEndPoint(ip.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0).Create(got[0].From));
    }

    [Fact]
    public void A_datagram_larger_than_the_buffer_is_dropped_and_the_next_one_kept()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket sender = Bound(IPAddress.Loopback);
        using UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 100, 4)!;
        sender.SendTo(new byte[101], socket.LocalEndPoint!);
        sender.SendTo(Datagram(0), socket.LocalEndPoint!);

        Assert.Equal(UdpBatchStatus.Received, receiver.Receive());
        Assert.Equal(2, receiver.Count);
        var from = new SocketAddress(AddressFamily.InterNetwork);
        Assert.False(receiver.TryGet(0, from, out _));
        Assert.True(receiver.TryGet(1, from, out ReadOnlySpan<byte> kept));
        Assert.Equal(Datagram(0), kept.ToArray());
    }

    [Fact]
    public void A_closed_socket_reports_closed_and_an_unreachable_peer_does_not()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 2048, 4)!;
        // A send to a closed port queues ICMP port unreachable on the socket (ECONNREFUSED on the next receive).
        using (Socket gone = Bound(IPAddress.Loopback))
        {
            EndPoint closed = gone.LocalEndPoint!;
            gone.Close();
            socket.SendTo(Datagram(1), closed);
        }
        Assert.Equal(UdpBatchStatus.Empty, receiver.Receive());

        socket.Close();
        Assert.Equal(UdpBatchStatus.Closed, receiver.Receive());
    }

    [Fact]
    public void Arrival_times_say_how_long_each_datagram_waited_in_the_socket()
    {
        using var kernelStamps = KernelArrivalStamps.Enable(TimeSpan.FromSeconds(5));
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket sender = Bound(IPAddress.Loopback);
        using UdpBatchReceiver stamped = UdpBatchReceiver.TryCreate(socket, 2048, 4, arrivalTimes: true)!;
        sender.SendTo(Datagram(0), socket.LocalEndPoint!);
        Thread.Sleep(150);
        sender.SendTo(Datagram(1), socket.LocalEndPoint!);

        Assert.Equal(UdpBatchStatus.Received, stamped.Receive());
        Assert.Equal(2, stamped.Count);
        TimeSpan older = stamped.GetTimeQueued(0);
        TimeSpan newer = stamped.GetTimeQueued(1);
        // The first waited through the sleep; the second at most as long as the sleep's overshoot.
        Assert.InRange(older, TimeSpan.FromMilliseconds(149), TimeSpan.FromSeconds(5));
        Assert.InRange(older - newer, TimeSpan.FromMilliseconds(149), older);
        Assert.Throws<ArgumentOutOfRangeException>(() => stamped.GetTimeQueued(2));
    }

    [Fact]
    public void A_wall_clock_step_forward_does_not_read_as_a_long_wait()
    {
        using var kernelStamps = KernelArrivalStamps.Enable(TimeSpan.FromSeconds(5));
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket sender = Bound(IPAddress.Loopback);
        var clock = new SteppedWallClock();
        using UdpBatchReceiver stamped = UdpBatchReceiver.TryCreate(socket, 2048, 4, arrivalTimes: true, clock)!;
        // The socket found empty: whatever is taken later arrived after this.
        Assert.Equal(UdpBatchStatus.Empty, stamped.Receive());
        sender.SendTo(Datagram(0), socket.LocalEndPoint!);
        Thread.Sleep(50);
        clock.Step = TimeSpan.FromHours(1);

        Assert.Equal(UdpBatchStatus.Received, stamped.Receive());
        // An hour and 50 ms by the stepped wall clock; at most the time since the empty receive by the monotonic one.
        Assert.InRange(stamped.GetTimeQueued(0), TimeSpan.FromMilliseconds(49), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Without_arrival_times_no_datagram_has_waited()
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket sender = Bound(IPAddress.Loopback);
        using UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 2048, 4)!;
        sender.SendTo(Datagram(0), socket.LocalEndPoint!);
        Thread.Sleep(50);

        Assert.Equal(UdpBatchStatus.Received, receiver.Receive());
        Assert.Equal(TimeSpan.Zero, receiver.GetTimeQueued(0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Receiving_allocates_nothing(bool arrivalTimes)
    {
        using Socket socket = Bound(IPAddress.Loopback);
        using Socket sender = Bound(IPAddress.Loopback);
        using UdpBatchReceiver receiver = UdpBatchReceiver.TryCreate(socket, 2048, 16, arrivalTimes)!;
        var from = new SocketAddress(AddressFamily.InterNetwork);
        SocketAddress to = socket.LocalEndPoint!.Serialize();
        byte[] payload = Datagram(3);
        int taken = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            taken = 0;
            for (int i = 0; i < 10; i++)
            {
                sender.SendTo(payload, SocketFlags.None, to);
            }

            while (receiver.Receive() == UdpBatchStatus.Received)
            {
                for (int i = 0; i < receiver.Count; i++)
                {
                    taken += receiver.TryGet(i, from, out ReadOnlySpan<byte> d) && d.Length == payload.Length && receiver.GetTimeQueued(i) >= TimeSpan.Zero ? 1 : 0;
                }
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(10, taken);
    }

    private static void Collect(UdpBatchReceiver receiver, SocketAddress from, List<(byte[] Data, SocketAddress From)> into)
    {
        for (int i = 0; i < receiver.Count; i++)
        {
            Assert.True(receiver.TryGet(i, from, out ReadOnlySpan<byte> datagram));
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            into.Add((datagram.ToArray(), copy));
        }
    }

    private static byte[] Datagram(int i) => [.. Enumerable.Range(0, 20 + (i * 37)).Select(b => (byte)(b + i))];

    private static Socket Bound(IPAddress ip)
    {
        var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(ip, 0));
        return socket;
    }

    /// <summary>The system's clocks, with the wall clock stepped by <see cref="Step"/> (an NTP correction, a resumed VM).</summary>
    private sealed class SteppedWallClock : TimeProvider
    {
        public TimeSpan Step { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Step;
    }
}
