namespace Callbridge.FrameCrypto.JFrame;

/// <summary>Why a received JFrame was not delivered. <see cref="None"/> means it was decrypted.</summary>
public enum JFrameDropReason
{
    None,

    /// <summary>The frame is shorter than clear prefix + 16-byte tag + 14-byte trailer.</summary>
    TooShort,

    /// <summary>The key-index byte names a slot outside 0..15, an empty slot, or a disabled key.</summary>
    UnknownKeySlot,

    /// <summary>The IV-length byte is not 12: .NET AES-GCM takes 96-bit nonces only, and real senders write 12.</summary>
    BadIvLength,

    /// <summary>GCM authentication failed with the slot's key and every ratchet step tried.</summary>
    AuthenticationFailed,

    /// <summary>The caller's destination cannot hold the plaintext frame.</summary>
    DestinationTooSmall,
}
