using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> over our own packet channel: datagrams demultiplexed by the
/// ICE layer are queued by <see cref="TryEnqueue"/> and taken by the DTLS thread; writes go to an
/// <see cref="IDtlsDatagramSender"/>. Handshake-only traffic, so a copy per datagram is acceptable here.
/// </summary>
internal sealed class PacketDatagramTransport : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _incoming;
    private readonly IDtlsDatagramSender _sender;
    private readonly int _sendLimit;
    private readonly int _receiveLimit;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _abortLock = new();
    private DtlsHandshakeStatus? _abortReason;
    private long _dropped;

    public PacketDatagramTransport(IDtlsDatagramSender sender, DtlsSrtpOptions options)
    {
        _sender = sender;
        _sendLimit = options.MaxSendDatagramSize;
        _receiveLimit = options.MaxReceiveDatagramSize;
        _incoming = new BlockingCollection<byte[]>(new ConcurrentQueue<byte[]>(), options.ReceiveQueueCapacity);
    }

    /// <summary>Why the transport was aborted, if it was.</summary>
    public DtlsHandshakeStatus? AbortReason
    {
        get
        {
            lock (_abortLock)
            {
                return _abortReason;
            }
        }
    }

    /// <summary>Datagrams dropped because the queue was full or the transport closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsClosed => _abort.IsCancellationRequested;

    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (_abort.IsCancellationRequested || datagram.Length > _receiveLimit || !_incoming.TryAdd(datagram.ToArray()))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        return true;
    }

    /// <summary>Wakes and fails any blocked receive; later receives fail at once.</summary>
    public void Abort(DtlsHandshakeStatus reason)
    {
        lock (_abortLock)
        {
            _abortReason ??= reason;
        }

        Shutdown();
    }

    private void Shutdown()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing is waiting any more.
        }
    }

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    /// <summary>BouncyCastle contract: bytes received, or -1 when nothing arrived within <paramref name="waitMillis"/>.</summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        byte[] datagram;
        try
        {
            if (!_incoming.TryTake(out datagram!, Math.Max(0, waitMillis), _abort.Token))
            {
                return -1;
            }
        }
        catch (OperationCanceledException)
        {
            throw new DtlsTransportClosedException();
        }

        int count = Math.Min(len, datagram.Length);
        datagram.AsSpan(0, count).CopyTo(buf.AsSpan(off, count));
        return count;
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (_abort.IsCancellationRequested)
        {
            return;
        }

        _sender.Send(buf.AsSpan(off, len));
    }

    /// <summary>BouncyCastle closes its transport after a failure or close_notify: no reason of ours.</summary>
    public void Close() => Shutdown();
}
