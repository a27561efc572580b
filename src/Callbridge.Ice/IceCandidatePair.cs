namespace Callbridge.Ice;

/// <summary>A check-list entry (RFC 8445 §6.1.2). Mutated only on the agent's loop.</summary>
internal sealed class IceCandidatePair(LocalBase local, RemoteCandidate remote)
{
    public LocalBase Local { get; } = local;

    /// <summary>
    /// Replaced in place when a signalled candidate supersedes the peer-reflexive one learned for the same
    /// address (RFC 8445 §7.3.1.3): outstanding transactions and triggered checks keep pointing at this pair.
    /// </summary>
    public RemoteCandidate Remote { get; set; } = remote;

    public IceCandidatePairState State { get; set; } = IceCandidatePairState.Frozen;

    public ulong Priority { get; private set; }

    /// <summary>Pair foundation: local and remote foundations joined (RFC 8445 §6.1.2.6).</summary>
    public string Foundation => Local.Candidate.Foundation + ":" + Remote.Candidate.Foundation;

    public bool Nominated { get; set; }

    /// <summary>Controlled side: USE-CANDIDATE arrived before our own check on this pair succeeded (RFC 8445 §7.3.1.5).</summary>
    public bool NominateOnSuccess { get; set; }

    /// <summary>Controlling side: the next check on this pair carries USE-CANDIDATE.</summary>
    public bool UseCandidateOnNextCheck { get; set; }

    // Diagnostics only (IceDiagnostics): counted on the loop.
    public int ChecksSent { get; set; }

    public int ResponsesReceived { get; set; }

    public int LastErrorReceived { get; set; }

    public int RequestsAnswered { get; set; }

    public bool UseCandidateReceived { get; set; }

    public IcePairDiagnostics ToDiagnostics() => new(Local.EndPoint, Remote.EndPoint, Remote.Candidate.Type, State, Nominated,
        ChecksSent, ResponsesReceived, LastErrorReceived, RequestsAnswered, UseCandidateReceived);

    public void UpdatePriority(IceRole role)
    {
        uint local = Local.Candidate.Priority;
        uint remote = Remote.Candidate.Priority;
        Priority = role == IceRole.Controlling ? IcePriority.Pair(local, remote) : IcePriority.Pair(remote, local);
    }

    public override string ToString() => $"{Local.EndPoint} -> {Remote.EndPoint} {State}";
}
