using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Callbridge.Stun;
using Callbridge.Udp;

namespace Callbridge.Ice;

public sealed partial class IceAgent
{
    // Datagrams per recvmmsg call: a 5 ms wake of a busy room's subscription finds a few to a few dozen queued.
    private const int DrainBatchSize = 32;

    /// <summary>The media core's ICE meter: <see cref="SocketWaitInstrument"/>.</summary>
    public const string MeterName = "Callbridge.Ice";

    /// <summary>
    /// Milliseconds each datagram taken one at a time waited in its socket before the receive thread took it. It
    /// tells a receive thread that waited for a CPU (long waits) from a sender or SFU that sent late (short waits,
    /// late packets). Read only while a listener is subscribed: it costs a system call per datagram.
    /// </summary>
    public const string SocketWaitInstrument = "callbridge.ice.socket_wait";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Histogram<double> s_socketWait = s_meter.CreateHistogram<double>(SocketWaitInstrument, "ms",
        "How long a datagram taken one at a time waited in its socket before the receive thread took it.");

    private void GatherHostCandidates()
    {
        var found = new List<IPAddress>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            // A freshly raised "lo" in a network namespace reports Unknown rather than Up.
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            if (_options.Interfaces.Count > 0 && !_options.Interfaces.Contains(nic.Name, StringComparer.Ordinal))
            {
                continue;
            }

            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                IPAddress address = unicast.Address;
                bool allowedFamily = address.AddressFamily == AddressFamily.InterNetwork ? _options.EnableIPv4
                    : address.AddressFamily == AddressFamily.InterNetworkV6 && _options.EnableIPv6;
                // Link-local IPv6 needs a scope id the peer cannot know; RFC 8445 §5.1.1.1 lets agents skip it.
                if (!allowedFamily || address.IsIPv6LinkLocal || (IPAddress.IsLoopback(address) && !_options.IncludeLoopback))
                {
                    continue;
                }

                if (_options.Addresses.Count > 0 && !_options.Addresses.Contains(address))
                {
                    continue;
                }

                if (!found.Contains(address))
                {
                    found.Add(address);
                }
            }
        }

        int v4 = 0, v6 = 0;
        foreach (IPAddress address in found)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                // Room for a few seconds of a whole room's media (one subscription carries every track of a room:
                // about 0.7 MB/s for ten participants with video), so a receive thread held up at start-up (JIT, a
                // burst of subscriptions) loses nothing; the kernel caps it at net.core.rmem_max.
                socket.ReceiveBufferSize = 4 << 20;
                socket.Bind(new IPEndPoint(address, 0));
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var endPoint = (IPEndPoint)socket.LocalEndPoint!;
            int localPreference = IcePriority.LocalPreference(address.AddressFamily,
                address.AddressFamily == AddressFamily.InterNetwork ? v4++ : v6++);
            var candidate = new IceCandidate(IcePriority.Foundation(IceCandidateType.Host, address), 1,
                IcePriority.Candidate(IcePriority.HostTypePreference, localPreference, 1), endPoint, IceCandidateType.Host);
            _bases.Add(new LocalBase(candidate, socket, localPreference));
        }
    }

    private void ReceiveLoop(LocalBase local)
    {
        // One pinned buffer per socket, reused for every datagram.
        byte[] buffer = GC.AllocateArray<byte>(_options.ReceiveBufferSize, pinned: true);
        var from = new SocketAddress(local.Socket.AddressFamily);
        CancellationToken token = _stop.Token;
        TimeSpan batch = _options.ReceiveBatchInterval;
        long batchTicks = (long)(batch.TotalSeconds * Stopwatch.Frequency);
        using UdpBatchReceiver? batchReceiver = batchTicks > 0 ? UdpBatchReceiver.TryCreate(local.Socket, _options.ReceiveBufferSize, DrainBatchSize) : null;
        long lastArrival = 0;
        bool dense = false;
        while (!token.IsCancellationRequested)
        {
            if (dense)
            {
                // Dense traffic: let the next datagrams queue in the socket, then take all of them in one wake.
                Thread.Sleep(batch);
                Interlocked.Increment(ref _receiveWakes);
                int drained = batchReceiver is null ? DrainQueued(local, buffer, from, token) : DrainQueued(local, batchReceiver, from, token);
                if (drained < 0)
                {
                    break;
                }

                dense = drained > 0;
                continue;
            }

            int received;
            try
            {
                received = local.Socket.ReceiveFrom(buffer.AsSpan(), SocketFlags.None, from);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException) when (!token.IsCancellationRequested)
            {
                // An ICMP error surfaced on the socket: it concerns an earlier send, not the next datagram.
                continue;
            }
            catch (SocketException)
            {
                break;
            }

            Interlocked.Increment(ref _receiveWakes);
            if (s_socketWait.Enabled && UdpLastArrival.TryGetTimeQueued(local.Socket, out TimeSpan waited))
            {
                s_socketWait.Record(waited.TotalMilliseconds);
            }

            Dispatch(local, buffer.AsSpan(0, received), from);
            if (batchTicks > 0)
            {
                long now = Stopwatch.GetTimestamp();
                dense = now - lastArrival < batchTicks;
                lastArrival = now;
            }
        }
    }

    /// <summary>Receives and dispatches every datagram queued in the socket, a batch per system call; -1 once the socket is gone.</summary>
    private int DrainQueued(LocalBase local, UdpBatchReceiver receiver, SocketAddress from, CancellationToken token)
    {
        int drained = 0;
        while (!token.IsCancellationRequested)
        {
            UdpBatchStatus status = receiver.Receive();
            if (status == UdpBatchStatus.Closed)
            {
                return -1;
            }

            for (int i = 0; i < receiver.Count; i++)
            {
                if (receiver.TryGet(i, from, out ReadOnlySpan<byte> datagram))
                {
                    Dispatch(local, datagram, from);
                }
            }

            drained += receiver.Count;
            if (receiver.Count < DrainBatchSize)
            {
                return drained;
            }
        }

        return -1;
    }

    /// <summary>Receives and dispatches every datagram queued in the socket without blocking (where recvmmsg is missing); -1 once the socket is gone.</summary>
    private int DrainQueued(LocalBase local, byte[] buffer, SocketAddress from, CancellationToken token)
    {
        int drained = 0;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                // FIONREAD: the size of the next queued datagram, 0 when none is queued (an empty datagram
                // also reads 0 and waits for the next blocking receive, which takes it).
                if (local.Socket.Available == 0)
                {
                    return drained;
                }

                received = local.Socket.ReceiveFrom(buffer.AsSpan(), SocketFlags.None, from);
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }
            catch (SocketException) when (!token.IsCancellationRequested)
            {
                continue;
            }
            catch (SocketException)
            {
                return -1;
            }

            Dispatch(local, buffer.AsSpan(0, received), from);
            drained++;
        }

        return -1;
    }

    private void Dispatch(LocalBase local, ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (datagram.IsEmpty)
        {
            return;
        }

        if (Rfc7983Demultiplexer.Classify(datagram[0]) == Rfc7983PacketKind.Stun)
        {
            if (StunMessage.LooksLikeStun(datagram))
            {
                byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
                datagram.CopyTo(copy);
                var remote = (IPEndPoint)local.EndPoint.Create(from);
                if (!_events.Writer.TryWrite(new IceAgentEvent.StunReceived(local, remote, copy, datagram.Length)))
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }

            return;
        }

        DeliverDatagram(local, datagram, from);
    }

    /// <summary>Non-STUN datagrams are accepted only from addresses a check has validated (RFC 8445 §11, RFC 7675).</summary>
    private void DeliverDatagram(LocalBase local, ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        IceDatagramHandler? handler = _onDatagram;
        if (handler is null)
        {
            return;
        }

        foreach (SendPath path in _validPaths)
        {
            if (path.Local == local && path.Address.Equals(from))
            {
                handler(datagram, path.EndPoint);
                return;
            }
        }

        Interlocked.Increment(ref _unvalidatedDatagrams);
    }

    private static void SendRaw(LocalBase local, SocketAddress to, ReadOnlySpan<byte> datagram)
    {
        try
        {
            local.Socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // Unreachable peers show up as check timeouts; nothing else to do here.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
