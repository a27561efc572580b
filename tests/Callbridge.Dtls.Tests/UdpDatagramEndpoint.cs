using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Callbridge.Dtls.Tests;

/// <summary>
/// A loopback UDP socket standing in for the ICE agent: datagrams are demultiplexed per RFC 7983 §7
/// (20..63 DTLS, 128..191 RTP/RTCP) and DTLS goes to the transport. The peer address is fixed or
/// learned from the first datagram received.
/// </summary>
internal sealed class UdpDatagramEndpoint : IDtlsDatagramSender, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Channel<byte[]> _media = Channel.CreateUnbounded<byte[]>();
    private volatile IPEndPoint? _remote;
    private Thread? _receiver;

    public UdpDatagramEndpoint(IPEndPoint? remote = null)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _remote = remote;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>RTP/RTCP datagrams received (first byte 128..191).</summary>
    public ChannelReader<byte[]> Media => _media.Reader;

    public void Attach(DtlsSrtpTransport transport)
    {
        _receiver = new Thread(() =>
        {
            byte[] buffer = new byte[2048];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    int length = _socket.ReceiveFrom(buffer, ref from);
                    _remote ??= (IPEndPoint)from;
                    byte first = length > 0 ? buffer[0] : (byte)0;
                    if (first is >= 20 and <= 63)
                    {
                        transport.TryDeliverDatagram(buffer.AsSpan(0, length));
                    }
                    else if (first is >= 128 and <= 191)
                    {
                        _media.Writer.TryWrite(buffer.AsSpan(0, length).ToArray());
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _media.Writer.TryComplete();
            }
        })
        {
            IsBackground = true,
        };
        _receiver.Start();
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (_remote is IPEndPoint remote)
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiver?.Join(TimeSpan.FromSeconds(2));
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago, for a peer process to bind.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
