namespace Callbridge.FrameCrypto.JFrame;

/// <summary>Outcome of <see cref="JFrameContext.Encrypt"/>.</summary>
public enum JFrameEncryptStatus
{
    Success,

    /// <summary>No usable key in the current slot; lib-jitsi-meet drops the frame silently in this case.</summary>
    NoKey,

    /// <summary>The frame is shorter than the clear prefix its kind requires.</summary>
    TooShort,

    /// <summary>The destination cannot hold frame length + 30 bytes.</summary>
    DestinationTooSmall,
}
