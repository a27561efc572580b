namespace Callbridge.FrameCrypto.SFrame;

/// <summary>Outcome of <see cref="SFrameContext.Encrypt(ulong, ulong, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, out int)"/>.</summary>
public enum SFrameEncryptStatus
{
    Success,

    /// <summary>No key is installed for the KID.</summary>
    UnknownKeyId,

    /// <summary>The destination cannot hold header + ciphertext + tag.</summary>
    DestinationTooSmall,
}
