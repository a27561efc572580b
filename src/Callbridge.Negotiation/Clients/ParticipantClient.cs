namespace Callbridge.Negotiation.Clients;

/// <summary>A participant and the client it joined with.</summary>
public sealed record ParticipantClient(string ParticipantId, string DisplayName, string? UserAgent);
