using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> over our own packet channel: datagrams demultiplexed by the
/// ICE layer are queued by <see cref="TryEnqueue"/> and taken by the DTLS thread; writes go to an
/// <see cref="IDtlsDatagramSender"/>. Handshake-only traffic, so a copy per datagram is acceptable here.
/// The DTLS thread waits in <see cref="Monitor.Wait(object, int)"/>, which blocks at once: after the handshake it
/// waits a second at a time for as long as the connection lasts, and a wait that spins first (a
/// <see cref="SemaphoreSlim"/>, so a <c>BlockingCollection</c>) costs every connection a burst of
/// <c>sched_yield</c> per wait, for nothing, since DTLS datagrams are rare.
/// </summary>
internal sealed class PacketDatagramTransport : DatagramTransport
{
    private readonly Queue<byte[]> _incoming = new();
    private readonly object _gate = new(); // a monitor, not a Lock: Receive waits on it
    private readonly int _capacity;
    private readonly IDtlsDatagramSender _sender;
    private readonly int _sendLimit;
    private readonly int _receiveLimit;
    private volatile bool _closed;
    private DtlsHandshakeStatus? _abortReason;
    private long _dropped;

    public PacketDatagramTransport(IDtlsDatagramSender sender, DtlsSrtpOptions options)
    {
        _sender = sender;
        _sendLimit = options.MaxSendDatagramSize;
        _receiveLimit = options.MaxReceiveDatagramSize;
        _capacity = options.ReceiveQueueCapacity;
    }

    /// <summary>Why the transport was aborted, if it was.</summary>
    public DtlsHandshakeStatus? AbortReason
    {
        get
        {
            lock (_gate)
            {
                return _abortReason;
            }
        }
    }

    /// <summary>Datagrams dropped because the queue was full or the transport closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsClosed => _closed;

    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length <= _receiveLimit)
        {
            lock (_gate)
            {
                if (!_closed && _incoming.Count < _capacity)
                {
                    _incoming.Enqueue(datagram.ToArray());
                    Monitor.Pulse(_gate);
                    return true;
                }
            }
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Wakes and fails any blocked receive; later receives fail at once.</summary>
    public void Abort(DtlsHandshakeStatus reason)
    {
        lock (_gate)
        {
            _abortReason ??= reason;
        }

        Shutdown();
    }

    private void Shutdown()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    /// <summary>BouncyCastle contract: bytes received, or -1 when nothing arrived within <paramref name="waitMillis"/>.</summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        byte[] datagram;
        lock (_gate)
        {
            long deadline = Environment.TickCount64 + Math.Max(0, waitMillis);
            while (_incoming.Count == 0)
            {
                if (_closed)
                {
                    throw new DtlsTransportClosedException();
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, (int)left);
            }

            if (_closed)
            {
                throw new DtlsTransportClosedException();
            }

            datagram = _incoming.Dequeue();
        }

        int count = Math.Min(len, datagram.Length);
        datagram.AsSpan(0, count).CopyTo(buf.AsSpan(off, count));
        return count;
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (_closed)
        {
            return;
        }

        _sender.Send(buf.AsSpan(off, len));
    }

    /// <summary>BouncyCastle closes its transport after a failure or close_notify: no reason of ours.</summary>
    public void Close() => Shutdown();
}
