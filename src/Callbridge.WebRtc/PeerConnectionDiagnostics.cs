using System.Globalization;
using Callbridge.Dtls;
using Callbridge.Ice;

namespace Callbridge.WebRtc;

/// <summary>
/// What a connection that did not come up got to: its state, what ICE did (<see cref="IceDiagnostics"/>)
/// and how far DTLS went. Made for error messages and logs, not for control flow.
/// </summary>
/// <param name="DtlsRole">Null before a description set the role.</param>
/// <param name="DtlsStarted">Whether the handshake began (at once as server, on ICE connectivity as client, RFC 5763 §5).</param>
/// <param name="DtlsStatus">The handshake's outcome, null while it is still running or never started.</param>
/// <param name="DtlsDatagramsReceived">DTLS records that came in on a validated address.</param>
/// <param name="DtlsDatagramsBeforeTransport">Of those, the ones that arrived before the DTLS transport existed (dropped; the peer retransmits).</param>
/// <param name="Ice">Null when no ICE agent was started.</param>
public sealed record PeerConnectionDiagnostics(
    PeerConnectionState State,
    PeerConnectionError Error,
    DtlsRole? DtlsRole,
    bool DtlsStarted,
    DtlsHandshakeStatus? DtlsStatus,
    long DtlsDatagramsReceived,
    long DtlsDatagramsBeforeTransport,
    IceDiagnostics? Ice)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"connection {State}{(Error != PeerConnectionError.None ? $" ({Error})" : "")}; DTLS {(DtlsRole?.ToString() ?? "no role")}, "
        + $"{(DtlsStarted ? DtlsStatus?.ToString() ?? "handshaking" : "not started")}, {DtlsDatagramsReceived} record(s) received"
        + $"{(DtlsDatagramsBeforeTransport > 0 ? $" ({DtlsDatagramsBeforeTransport} before the transport)" : "")}; "
        + $"{(Ice is null ? "no ICE agent" : Ice.ToString())}");
}
