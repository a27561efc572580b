using System.Net;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Test double for the network between UAs: each send is serialized, queued and re-parsed on
/// delivery, so both the serializer and the parser sit on the path. <see cref="Pump"/> delivers.</summary>
internal sealed class InMemoryNetwork
{
    private readonly Queue<(byte[] Bytes, IPEndPoint From, SipRemote To)> _queue = new();
    private readonly Dictionary<IPEndPoint, Action<SipMessage, SipRemote>> _hosts = [];
    public List<SipMessage> Log { get; } = [];

    public ISipSender Attach(IPEndPoint address, Action<SipMessage, SipRemote> receive)
    {
        _hosts[address] = receive;
        return new Port(this, address);
    }

    public void Pump()
    {
        while (true)
        {
            (byte[] Bytes, IPEndPoint From, SipRemote To) next;
            lock (_queue)
            {
                if (_queue.Count == 0) return;
                next = _queue.Dequeue();
            }
            var (bytes, from, to) = next;
            if (SipMessage.TryParse(bytes, true, out var m, out _, out var err) != SipParseStatus.Complete)
                throw new InvalidOperationException("unparseable message on the wire: " + err);
            Log.Add(m!);
            if (_hosts.TryGetValue(to.EndPoint, out var receive)) receive(m!, new SipRemote(to.Protocol, from));
        }
    }

    private sealed class Port(InMemoryNetwork net, IPEndPoint local) : ISipSender
    {
        public IPEndPoint LocalEndPoint => local;
        public void Send(SipMessage message, SipRemote remote)
        {
            // Sends may come from a continuation on another thread (e.g. after an awaited transaction).
            lock (net._queue) net._queue.Enqueue((message.ToArray(), local, remote));
        }
    }
}
