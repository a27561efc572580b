namespace Callbridge.Srtp;

/// <summary>Outcome of a protect or unprotect call. Everything but <see cref="Ok"/> means the buffer content is not usable.</summary>
public enum SrtpStatus
{
    Ok = 0,

    /// <summary>The authentication tag did not verify (tampered, wrong key, or not SRTP at all).</summary>
    AuthenticationFailed,

    /// <summary>The packet index was already seen inside the replay window (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>The packet index is older than the replay window (RFC 3711 §3.3.2).</summary>
    TooOld,

    /// <summary>The packet is too short or its header is malformed for its declared length.</summary>
    BadLength,

    /// <summary>The caller's buffer has no room for the trailer that protection appends.</summary>
    BufferTooSmall,

    /// <summary>libsrtp rejected the packet for another reason (the native code is kept in the session for diagnosis).</summary>
    Failed,
}
