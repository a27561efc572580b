namespace Callbridge.Sip.Calls;

/// <summary>How a call ended: the outcome, the SIP status (or Q.850 cause from a Reason header) and the reason text.</summary>
public sealed record SipCallEnd(SipCallOutcome Outcome, int StatusCode, string? Reason);
