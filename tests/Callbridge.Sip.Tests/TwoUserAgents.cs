using System.Net;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Alice (with digest credentials) and Bob, two of our user agents on an in-memory network driven by a
/// manual clock; the base of the call and session tests.</summary>
public abstract class TwoUserAgents
{
    protected const string Sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n";
    protected static readonly IPEndPoint AliceAddr = new(IPAddress.Parse("192.0.2.1"), 5060);
    protected static readonly IPEndPoint BobAddr = new(IPAddress.Parse("192.0.2.2"), 5060);
    private readonly bool _ringBeforeAnswer;

    protected TwoUserAgents(bool ringBeforeAnswer)
    {
        _ringBeforeAnswer = ringBeforeAnswer;
        SipUserAgent? a = null, b = null;
        var aPort = Net.Attach(AliceAddr, (m, r) => a!.OnMessage(m, r));
        var bPort = Net.Attach(BobAddr, (m, r) => b!.OnMessage(m, r));
        a = new SipUserAgent(aPort, Time, new SipUserAgentOptions { User = "alice", AuthUser = "alice", AuthPassword = "pw" });
        b = new SipUserAgent(bPort, Time, new SipUserAgentOptions { User = "bob" });
        (Alice, Bob) = (a, b);
    }

    private protected ManualTimeProvider Time { get; } = new();
    private protected InMemoryNetwork Net { get; } = new();
    protected SipUserAgent Alice { get; }
    protected SipUserAgent Bob { get; }
    protected static SipRemote ToBob => new(SipTransportProtocol.Udp, BobAddr);

    /// <summary>Alice calls Bob, who answers (after a 180 when the tests ask for one); the network is pumped.</summary>
    protected (SipOutgoingCall Out, SipIncomingCall In) Connect()
    {
        SipIncomingCall? incoming = null;
        Bob.IncomingCall += c =>
        {
            incoming = c;
            if (_ringBeforeAnswer) c.Ring();
            c.Answer(Sdp);
        };
        var call = Alice.Call(SipUri.Sip("bob", "192.0.2.2"), ToBob, Sdp);
        Net.Pump();
        return (call, incoming!);
    }
}
