namespace Callbridge.Srtp;

/// <summary>Which way a session's packets travel; libsrtp keys any-SSRC templates per direction.</summary>
public enum SrtpDirection
{
    /// <summary>Protects packets we send (keyed with our write key).</summary>
    Outbound,

    /// <summary>Unprotects packets we receive (keyed with the peer's write key).</summary>
    Inbound,
}
