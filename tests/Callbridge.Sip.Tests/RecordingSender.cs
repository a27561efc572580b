using System.Net;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Test double for the transport: records what was sent (re-parsed from its wire form, so the
/// serializer is exercised too) and when.</summary>
internal sealed class RecordingSender(TimeProvider time) : ISipSender
{
    public List<(SipMessage Message, SipRemote Remote, DateTimeOffset At)> Sent { get; } = [];
    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Parse("192.0.2.10"), 5060);

    public void Send(SipMessage message, SipRemote remote)
    {
        var st = SipMessage.TryParse(message.ToArray(), true, out var parsed, out _, out var err);
        if (st != SipParseStatus.Complete) throw new InvalidOperationException("sent an unparseable message: " + err);
        lock (Sent) Sent.Add((parsed!, remote, time.GetUtcNow()));
    }

    public List<SipMessage> Requests(string method) => Sent.Where(s => s.Message.IsRequest && s.Message.Method == method).Select(s => s.Message).ToList();
    public List<SipMessage> Responses(int code) => Sent.Where(s => !s.Message.IsRequest && s.Message.StatusCode == code).Select(s => s.Message).ToList();
}
