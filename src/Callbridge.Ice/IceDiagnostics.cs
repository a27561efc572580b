using System.Globalization;

namespace Callbridge.Ice;

/// <summary>
/// A snapshot of what the agent did, for errors that must say why a connection never came up: the check
/// list with per-pair counts, and the peer's Binding requests with what we answered (RFC 8445 §7.3).
/// </summary>
/// <param name="RemoteCredentialsKnown">Whether the peer's ice-ufrag/ice-pwd arrived (without them no check of ours can leave).</param>
/// <param name="RequestsReceived">The peer's Binding requests that parsed, whatever the answer.</param>
/// <param name="RequestsBeforeRemoteCredentials">Of those, the ones that came before the peer's credentials (answered all the same).</param>
/// <param name="BadRequestsSent">400 answers: USERNAME or MESSAGE-INTEGRITY missing.</param>
/// <param name="UnauthorizedSent">401 answers: a USERNAME that is not ours or a MESSAGE-INTEGRITY that does not verify.</param>
/// <param name="RoleConflictsSent">487 answers (RFC 8445 §7.3.1.1).</param>
/// <param name="UnmatchedResponses">Responses with no outstanding transaction or failing integrity.</param>
/// <param name="DatagramsFromUnvalidatedAddresses">Non-STUN datagrams dropped because no check validated their source (RFC 8445 §11).</param>
public sealed record IceDiagnostics(
    IceConnectionState State,
    IceRole Role,
    bool RemoteCredentialsKnown,
    int RemoteCandidates,
    int RequestsReceived,
    int RequestsBeforeRemoteCredentials,
    int BadRequestsSent,
    int UnauthorizedSent,
    int RoleConflictsSent,
    int UnmatchedResponses,
    long DatagramsFromUnvalidatedAddresses,
    IReadOnlyList<IcePairDiagnostics> Pairs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ICE {State} as {Role}, remote credentials {(RemoteCredentialsKnown ? "known" : "unknown")}, {RemoteCandidates} remote candidate(s); "
        + $"peer requests {RequestsReceived} ({RequestsBeforeRemoteCredentials} before its credentials; answered 400 x{BadRequestsSent}, 401 x{UnauthorizedSent}, 487 x{RoleConflictsSent}); "
        + $"unmatched responses {UnmatchedResponses}; non-STUN datagrams from unvalidated addresses {DatagramsFromUnvalidatedAddresses}; "
        + $"pairs [{string.Join("; ", Pairs)}]");
}
