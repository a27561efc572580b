namespace Callbridge.Dtls;

/// <summary>Which side of the DTLS handshake we play.</summary>
public enum DtlsRole
{
    /// <summary>Sends ClientHello; chosen by <c>a=setup:active</c> (RFC 5763 §5).</summary>
    Client,

    /// <summary>Waits for ClientHello; chosen by <c>a=setup:passive</c> (RFC 5763 §5).</summary>
    Server,
}
