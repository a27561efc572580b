namespace Callbridge.Negotiation.Clients;

/// <summary>A participant whose client cannot (or cannot be shown to) take part in E2EE, with a host message naming them.</summary>
public sealed record UnsupportedClientFinding(ParticipantClient Participant, ClientAssessment Assessment, string HostMessage);
