using Callbridge.Negotiation.Clients;

namespace Callbridge.Negotiation.Impact;

/// <summary>The preview shown to the host before E2EE is turned on.</summary>
public sealed record E2eeImpactReport(
    IReadOnlyList<GatewayImpact> WillStop,
    IReadOnlyList<GatewayImpact> Unaffected,
    IReadOnlyList<UnsupportedClientFinding> ClientsThatCannotJoin,
    IReadOnlyList<UnsupportedClientFinding> ClientsUnknown,
    string Summary)
{
    /// <summary>One clause per kind of feature that will stop, for the host ("the recording will stop",
    /// "2 phone callers will be disconnected", "server captions will stop"); empty when nothing stops.</summary>
    public IReadOnlyList<string> Consequences { get; init; } = [];
}
