using System.Net;

namespace Callbridge.Ice;

/// <summary>Work items for the agent's single serialized loop.</summary>
internal abstract class IceAgentEvent
{
    public sealed class Tick : IceAgentEvent
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>A STUN datagram in a pooled buffer the loop returns after handling.</summary>
    public sealed class StunReceived(LocalBase local, IPEndPoint remote, byte[] buffer, int length) : IceAgentEvent
    {
        public LocalBase Local { get; } = local;
        public IPEndPoint Remote { get; } = remote;
        public byte[] Buffer { get; } = buffer;
        public int Length { get; } = length;
    }

    public sealed class RemoteCredentials(IceCredentials credentials) : IceAgentEvent
    {
        public IceCredentials Credentials { get; } = credentials;
    }

    public sealed class RemoteCandidateAdded(IceCandidate candidate) : IceAgentEvent
    {
        public IceCandidate Candidate { get; } = candidate;
    }

    /// <summary>Asks the loop for a snapshot of its state.</summary>
    public sealed class Diagnose : IceAgentEvent
    {
        public TaskCompletionSource<IceDiagnostics> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class Restart(IceCredentials local) : IceAgentEvent
    {
        public IceCredentials Local { get; } = local;
    }
}
