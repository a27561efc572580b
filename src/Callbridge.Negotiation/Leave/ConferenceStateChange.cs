namespace Callbridge.Negotiation.Leave;

/// <summary>A new E2EE state (or tenant policy) for a conference, as the media core and signalling report it.</summary>
public sealed record ConferenceStateChange(string ConferenceId, ConferenceE2eeState E2ee, TenantPolicy Tenant);
