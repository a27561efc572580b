using System.Net;

namespace Callbridge.Sip.Transport;

/// <summary>Where a message came from or goes to.</summary>
public readonly record struct SipRemote(SipTransportProtocol Protocol, IPEndPoint EndPoint)
{
    /// <summary>Reliable transports need no retransmission and shorter linger timers (§17.1.1.2, §17.1.2.2).</summary>
    public bool IsReliable => Protocol == SipTransportProtocol.Tcp;
    public string ViaTransport => Protocol == SipTransportProtocol.Tcp ? "TCP" : "UDP";
    public override string ToString() => ViaTransport + ":" + EndPoint;
}

