namespace Callbridge.Dtls;

/// <summary>Why an SDP fingerprint value did not parse.</summary>
public enum DtlsFingerprintError
{
    None,

    /// <summary>No space between the hash function and the fingerprint.</summary>
    MissingSeparator,

    /// <summary>The hash function is not one of sha-1, sha-224, sha-256, sha-384, sha-512.</summary>
    UnknownHashFunction,

    /// <summary>The fingerprint is not colon-separated pairs of hex digits.</summary>
    MalformedHex,

    /// <summary>The fingerprint length does not match the hash function's output length.</summary>
    WrongLength,
}
