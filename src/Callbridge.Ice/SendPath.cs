using System.Net;
using System.Net.Sockets;

namespace Callbridge.Ice;

/// <summary>
/// Everything a send or a receive filter needs about one validated remote address, prepared once so
/// the per-datagram path allocates nothing. Immutable; swapped atomically by the agent's loop.
/// </summary>
internal sealed class SendPath(LocalBase local, RemoteCandidate remote)
{
    public LocalBase Local { get; } = local;

    public Socket Socket => Local.Socket;

    public SocketAddress Address { get; } = remote.SocketAddress;

    public IPEndPoint EndPoint { get; } = remote.EndPoint;
}
