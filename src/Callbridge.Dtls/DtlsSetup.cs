namespace Callbridge.Dtls;

/// <summary>The SDP <c>a=setup</c> attribute values (RFC 4145 §4, as used by RFC 5763 §5).</summary>
public enum DtlsSetup
{
    Active,
    Passive,
    ActPass,
    HoldConn,
}
