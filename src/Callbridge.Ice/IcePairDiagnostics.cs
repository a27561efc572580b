using System.Globalization;
using System.Net;

namespace Callbridge.Ice;

/// <summary>What happened on one check-list pair, counted on the agent's loop.</summary>
/// <param name="ChecksSent">Our Binding requests on the pair, retransmissions and consent checks included.</param>
/// <param name="ResponsesReceived">Authenticated responses to them (success or error).</param>
/// <param name="LastErrorReceived">The error code of the last error response, 0 when none.</param>
/// <param name="RequestsAnswered">The peer's checks that arrived on the pair and were answered with a success.</param>
/// <param name="UseCandidateReceived">Whether one of those carried USE-CANDIDATE (RFC 8445 §7.3.1.5).</param>
public sealed record IcePairDiagnostics(
    IPEndPoint Local,
    IPEndPoint Remote,
    IceCandidateType RemoteType,
    IceCandidatePairState State,
    bool Nominated,
    int ChecksSent,
    int ResponsesReceived,
    int LastErrorReceived,
    int RequestsAnswered,
    bool UseCandidateReceived)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Local}->{Remote} {IceCandidate.TypeName(RemoteType)} {State}{(Nominated ? " nominated" : "")} sent {ChecksSent} answered {ResponsesReceived}{(LastErrorReceived != 0 ? $" (last error {LastErrorReceived})" : "")} requests {RequestsAnswered}{(UseCandidateReceived ? " with USE-CANDIDATE" : "")}");
}
