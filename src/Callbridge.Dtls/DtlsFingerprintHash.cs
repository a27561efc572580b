namespace Callbridge.Dtls;

/// <summary>Hash functions of the SDP fingerprint attribute (RFC 8122 §5; names from the IANA hash registry).</summary>
public enum DtlsFingerprintHash
{
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}
