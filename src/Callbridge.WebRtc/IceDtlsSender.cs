using Callbridge.Dtls;
using Callbridge.Ice;

namespace Callbridge.WebRtc;

/// <summary>DTLS records leave on the ICE agent's selected pair; before there is one they are dropped and DTLS retransmits.</summary>
internal sealed class IceDtlsSender(IceAgent agent) : IDtlsDatagramSender
{
    public void Send(ReadOnlySpan<byte> datagram) => agent.TrySend(datagram);
}
