using System.Buffers;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Callbridge.Stun;

namespace Callbridge.Ice;

public sealed partial class IceAgent
{
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

                socket.ReceiveBufferSize = 1 << 20;
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
        while (!token.IsCancellationRequested)
        {
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

            if (received == 0)
            {
                continue;
            }

            ReadOnlySpan<byte> datagram = buffer.AsSpan(0, received);
            if (Rfc7983Demultiplexer.Classify(datagram[0]) == Rfc7983PacketKind.Stun)
            {
                if (StunMessage.LooksLikeStun(datagram))
                {
                    byte[] copy = ArrayPool<byte>.Shared.Rent(received);
                    datagram.CopyTo(copy);
                    var remote = (IPEndPoint)local.EndPoint.Create(from);
                    if (!_events.Writer.TryWrite(new IceAgentEvent.StunReceived(local, remote, copy, received)))
                    {
                        ArrayPool<byte>.Shared.Return(copy);
                    }
                }

                continue;
            }

            DeliverDatagram(local, datagram, from);
        }
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
