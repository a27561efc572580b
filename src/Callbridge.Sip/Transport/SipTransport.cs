using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Transport;

/// <summary>RFC 3261 §18 transport layer: one UDP socket and one TCP listener on the same address and port.
/// Parsed messages go to <see cref="MessageReceived"/>; requests that do not parse are answered with the
/// parse error's status where the request's Via can be found, and the listener keeps serving.</summary>
public sealed class SipTransport : ISipSender, IAsyncDisposable
{
    private readonly SipParseLimits _limits;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();
    private readonly List<Task> _loops = [];
    private long _malformed, _sendErrors, _handlerErrors;

    public SipTransport(IPEndPoint bind, SipParseLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bind);
        _limits = limits ?? SipParseLimits.Default;
        (_udp, _tcp) = BindBoth(bind);
        LocalEndPoint = (IPEndPoint)_udp.LocalEndPoint!;
    }

    /// <summary>
    /// UDP and TCP on one port (§18: a UA listening on a port over UDP also listens over TCP). For port 0
    /// the port UDP was given may be taken for TCP by another socket, so that case tries again with a
    /// new port; a fixed port in use is the operator's error and is reported at once.
    /// </summary>
    private static (Socket Udp, TcpListener Tcp) BindBoth(IPEndPoint bind)
    {
        const int attempts = 20;
        for (int attempt = 1; ; attempt++)
        {
            var udp = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(bind);
                var tcp = new TcpListener((IPEndPoint)udp.LocalEndPoint!);
                tcp.Start();
                return (udp, tcp);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && bind.Port == 0 && attempt < attempts)
            {
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Called for every parsed message, one at a time per connection or socket.</summary>
    public Action<SipMessage, SipRemote>? MessageReceived { get; set; }

    /// <summary>Messages that did not parse (each answered where possible).</summary>
    public long MalformedCount => Interlocked.Read(ref _malformed);
    public long SendErrorCount => Interlocked.Read(ref _sendErrors);
    public long HandlerErrorCount => Interlocked.Read(ref _handlerErrors);

    public void Start()
    {
        _loops.Add(Task.Run(UdpLoopAsync));
        _loops.Add(Task.Run(AcceptLoopAsync));
    }

    public void Send(SipMessage message, SipRemote remote)
    {
        ArgumentNullException.ThrowIfNull(message);
        SendRaw(message.ToArray(), remote);
    }

    internal void SendRaw(byte[] bytes, SipRemote remote)
    {
        try
        {
            if (remote.Protocol == SipTransportProtocol.Udp)
            {
                _udp.SendTo(bytes, SocketFlags.None, remote.EndPoint);
                return;
            }
            var conn = _connections.GetOrAdd(remote.EndPoint, ep => TcpConnection.Connect(this, ep));
            conn.Enqueue(bytes);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private async Task UdpLoopAsync()
    {
        // One datagram at most 65,535 bytes (the UDP limit); the parse limit may be lower.
        var buffer = new byte[65_535];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // ICMP port unreachable surfaces here on some stacks.
            var remote = new SipRemote(SipTransportProtocol.Udp, (IPEndPoint)r.RemoteEndPoint);
            var data = buffer.AsSpan(0, r.ReceivedBytes);
            if (IsOnlyCrlf(data)) continue; // keepalive
            var st = SipMessage.TryParse(data, datagram: true, out var msg, out _, out var err, _limits);
            if (st == SipParseStatus.Complete) Dispatch(msg!, remote);
            else Reject(data, err, remote);
        }
    }

    private void Reject(ReadOnlySpan<byte> data, SipParseError err, SipRemote remote)
    {
        Interlocked.Increment(ref _malformed);
        var answer = SipErrorAnswer.Build(data, err);
        if (answer is not null) SendRaw(answer, remote);
    }

    private void Dispatch(SipMessage msg, SipRemote remote)
    {
        try
        {
            if (msg.IsRequest) StampReceived(msg, remote);
            MessageReceived?.Invoke(msg, remote);
        }
        catch (Exception) { Interlocked.Increment(ref _handlerErrors); }
    }

    /// <summary>§18.2.1: received= when sent-by is not the source address; RFC 3581 §4: rport= filled with the
    /// source port when the client asked for it. The response then carries both back (§18.2.2).</summary>
    private static void StampReceived(SipMessage msg, SipRemote remote)
    {
        int at = msg.Headers.FindIndex(h => h.Kind == SipHeaderKind.Via);
        if (at < 0) return;
        var vias = new List<Headers.SipVia>();
        if (!Headers.SipVia.TryParseList(msg.Headers[at].RawValue.Span, vias)) return;
        var top = vias[0];
        string source = remote.EndPoint.Address.ToString();
        bool changed = false;
        if (top.Host.Trim('[', ']') != source) { top.Received = source; changed = true; }
        if (top.HasRport && top.RportValue is null)
        {
            top.Parameters.Set("rport", remote.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (top.Received is null) top.Received = source;
            changed = true;
        }
        if (changed) msg.Headers[at] = new SipHeader(msg.Headers[at].Name, string.Join(", ", vias));
    }

    private static bool IsOnlyCrlf(ReadOnlySpan<byte> d)
    {
        foreach (byte b in d) if (b != '\r' && b != '\n') return false;
        return true;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try { s = await _tcp.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            var ep = (IPEndPoint)s.RemoteEndPoint!;
            var conn = new TcpConnection(this, s, ep);
            _connections[ep] = conn;
            conn.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _tcp.Stop();
        _udp.Dispose();
        foreach (var c in _connections.Values) c.Close();
        try { await Task.WhenAll(_loops).ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    /// <summary>One TCP connection: a read loop that frames by Content-Length (§18.3) in a bounded buffer,
    /// and a write loop fed by a queue so sends keep their order.</summary>
    private sealed class TcpConnection
    {
        private readonly SipTransport _owner;
        private readonly Socket _socket;
        private readonly IPEndPoint _remote;
        private readonly Channel<byte[]> _out = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly Task<bool>? _connect;

        public TcpConnection(SipTransport owner, Socket socket, IPEndPoint remote, Task<bool>? connect = null)
        {
            _owner = owner;
            _socket = socket;
            _remote = remote;
            _connect = connect;
        }

        public static TcpConnection Connect(SipTransport owner, IPEndPoint remote)
        {
            var s = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var c = new TcpConnection(owner, s, remote, ConnectAsync(s, remote, owner._stop.Token));
            c.Start();
            return c;
        }

        private static async Task<bool> ConnectAsync(Socket s, IPEndPoint remote, CancellationToken ct)
        {
            try { await s.ConnectAsync(remote, ct).ConfigureAwait(false); return true; }
            catch (Exception e) when (e is SocketException or OperationCanceledException) { return false; }
        }

        public void Start()
        {
            _owner._loops.Add(Task.Run(ReadLoopAsync));
            _owner._loops.Add(Task.Run(WriteLoopAsync));
        }

        public void Enqueue(byte[] bytes)
        {
            if (!_out.Writer.TryWrite(bytes)) Interlocked.Increment(ref _owner._sendErrors);
        }

        /// <summary>Stops reading; queued answers are still written, then the socket closes.</summary>
        public void Close()
        {
            _owner._connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(_remote, this));
            _out.Writer.TryComplete();
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                if (_connect is not null && !await _connect.ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _owner._sendErrors);
                    return;
                }
                await foreach (var bytes in _out.Reader.ReadAllAsync(_owner._stop.Token).ConfigureAwait(false))
                    await _socket.SendAsync(bytes, SocketFlags.None, _owner._stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _owner._sendErrors);
            }
            finally
            {
                _owner._connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(_remote, this));
                try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                _socket.Dispose();
            }
        }

        private async Task ReadLoopAsync()
        {
            if (_connect is not null && !await _connect.ConfigureAwait(false)) return;
            // Invariant: buffer[0..filled) holds bytes not yet consumed; it never grows past the message limit.
            var buffer = new byte[_owner._limits.MaxMessageSize];
            int filled = 0;
            var remote = new SipRemote(SipTransportProtocol.Tcp, _remote);
            try
            {
                while (true)
                {
                    if (filled == buffer.Length)
                    {
                        _owner.Reject(buffer, new SipParseError(SipParseErrorReason.MessageTooLarge), remote);
                        break;
                    }
                    int n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _owner._stop.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    filled += n;
                    if (!Drain(buffer, ref filled, remote)) break;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
            Close();
        }

        /// <summary>Parses every whole message in the buffer; false when the stream can no longer be framed.</summary>
        private bool Drain(byte[] buffer, ref int filled, SipRemote remote)
        {
            while (filled > 0)
            {
                // RFC 5626 §4.4.1: a CRLFCRLF ping gets a CRLF pong.
                if (filled >= 4 && buffer.AsSpan(0, 4).SequenceEqual("\r\n\r\n"u8))
                {
                    Enqueue("\r\n"u8.ToArray());
                    Shift(buffer, ref filled, 4);
                    continue;
                }
                var st = SipMessage.TryParse(buffer.AsSpan(0, filled), datagram: false, out var msg, out int consumed, out var err, _owner._limits);
                if (st == SipParseStatus.NeedMoreData) return true;
                if (st == SipParseStatus.Invalid)
                {
                    _owner.Reject(buffer.AsSpan(0, filled), err, remote);
                    return false;
                }
                Shift(buffer, ref filled, consumed);
                _owner.Dispatch(msg!, remote);
            }
            return true;
        }

        private static void Shift(byte[] buffer, ref int filled, int count)
        {
            Buffer.BlockCopy(buffer, count, buffer, 0, filled - count);
            filled -= count;
        }
    }
}
