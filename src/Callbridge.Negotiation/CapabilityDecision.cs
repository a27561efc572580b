namespace Callbridge.Negotiation;

/// <summary>The answer for one gateway in one conference state.</summary>
/// <param name="Outcome">Allow, Refuse (before joining) or LeaveNow (while running).</param>
/// <param name="ReasonCode">One of <see cref="ReasonCodes"/>.</param>
/// <param name="HostMessage">Plain words for the host: what is unavailable, why, and what E2EE protects.</param>
/// <param name="SpokenPrompt">Text a phone gateway speaks to the caller; null for other kinds or when allowed.</param>
/// <param name="Alternative">What the host can use instead, where something honest exists.</param>
public sealed record CapabilityDecision(
    CapabilityOutcome Outcome,
    string ReasonCode,
    string HostMessage,
    string? SpokenPrompt,
    AlternativeOffer? Alternative);
