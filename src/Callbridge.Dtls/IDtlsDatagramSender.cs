namespace Callbridge.Dtls;

/// <summary>
/// Where DTLS writes its datagrams: the ICE agent's selected pair, or a test link. Called from the DTLS
/// thread; must not block for long and may drop (DTLS retransmits handshake flights itself).
/// </summary>
public interface IDtlsDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram);
}
