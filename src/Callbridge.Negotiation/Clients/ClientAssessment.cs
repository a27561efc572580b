namespace Callbridge.Negotiation.Clients;

/// <summary>Whether a client can take part in an E2EE conference, and why.</summary>
/// <param name="Version">The version the floor was compared with (for iOS: the OS version, which is WebKit's).</param>
/// <param name="Reason">Plain words, fit for a host notice.</param>
public sealed record ClientAssessment(ClientFamily Family, Version? Version, ClientSupport Support, string Reason);
