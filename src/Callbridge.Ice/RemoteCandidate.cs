using System.Net;

namespace Callbridge.Ice;

/// <summary>A peer candidate with its socket address serialized once, so sends do not allocate.</summary>
internal sealed class RemoteCandidate(IceCandidate candidate)
{
    public IceCandidate Candidate { get; } = candidate;

    public IPEndPoint EndPoint => Candidate.EndPoint;

    public SocketAddress SocketAddress { get; } = candidate.EndPoint.Serialize();
}
