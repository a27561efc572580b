namespace Callbridge.FrameCrypto.SFrame;

/// <summary>Why a received SFrame ciphertext was not decrypted. <see cref="None"/> means success.</summary>
public enum SFrameDropReason
{
    None,

    /// <summary>The header is truncated, or no room is left for the tag.</summary>
    TooShort,

    /// <summary>No key is installed for the header's KID.</summary>
    UnknownKeyId,

    /// <summary>Tag check failed (RFC 9605 §4.4.4: the frame is discarded).</summary>
    AuthenticationFailed,

    /// <summary>The caller's destination cannot hold the plaintext.</summary>
    DestinationTooSmall,
}
