using Callbridge.Negotiation.Clients;

namespace Callbridge.Negotiation.Impact;

/// <summary>The preview shown to the host before E2EE is turned on.</summary>
public sealed record E2eeImpactReport(
    IReadOnlyList<GatewayImpact> WillStop,
    IReadOnlyList<GatewayImpact> Unaffected,
    IReadOnlyList<UnsupportedClientFinding> ClientsThatCannotJoin,
    IReadOnlyList<UnsupportedClientFinding> ClientsUnknown,
    string Summary);
