using System.Net;
using System.Net.Sockets;

namespace Callbridge.Ice;

/// <summary>A host candidate and the UDP socket that is its base (RFC 8445 §5.1.1.1).</summary>
internal sealed class LocalBase(IceCandidate candidate, Socket socket, int localPreference)
{
    public IceCandidate Candidate { get; } = candidate;

    public Socket Socket { get; } = socket;

    public int LocalPreference { get; } = localPreference;

    public IPEndPoint EndPoint => Candidate.EndPoint;

    /// <summary>Priority a peer-reflexive candidate learned through this base would have (RFC 8445 §7.1.1).</summary>
    public uint PeerReflexivePriority => IcePriority.Candidate(IcePriority.PeerReflexiveTypePreference, LocalPreference, 1);
}
