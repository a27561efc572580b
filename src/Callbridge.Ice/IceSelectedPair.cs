namespace Callbridge.Ice;

/// <summary>The pair media flows on: our candidate and the peer's.</summary>
public sealed record IceSelectedPair(IceCandidate Local, IceCandidate Remote);
