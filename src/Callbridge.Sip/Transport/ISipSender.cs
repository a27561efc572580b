using System.Net;

namespace Callbridge.Sip.Transport;

/// <summary>What the transaction layer needs from the transport layer (§18).</summary>
public interface ISipSender
{
    /// <summary>The address and port to put in Via sent-by and Contact.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Queues one message; failures are reported through the transport's error count, not thrown.</summary>
    void Send(Callbridge.Sip.Message.SipMessage message, SipRemote remote);
}
