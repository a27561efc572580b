namespace Callbridge.Gateways;

/// <summary>How a gateway ended and what it left behind.</summary>
/// <param name="ReasonCode">The negotiator's reason code when it left for E2EE, else null.</param>
/// <param name="Summary">One sentence for the host ("Recorded 3 participants for 12 min 4 s.").</param>
/// <param name="Outputs">Blob names of what it wrote (recording files, manifest, transcript), in order written.</param>
public sealed record GatewayOutcome(GatewayRunState FinalState, string? ReasonCode, string Summary, IReadOnlyList<string> Outputs);
