using Callbridge.Media;

namespace Callbridge.WebRtc;

/// <summary>
/// One complete frame of a remote track: an Opus packet, or a VP8 frame without its payload descriptors.
/// <see cref="Data"/> is the track's reassembly buffer, valid only during the handler call.
/// </summary>
public readonly ref struct ReceivedFrame
{
    public required RemoteTrack Track { get; init; }

    /// <summary>RTP timestamp, length, key-frame and after-loss flags, packet count.</summary>
    public required FrameInfo Info { get; init; }

    /// <summary>
    /// This frame alone shows E2EE ciphertext: the track's verdict is JFrame or SFrame, the payload does not
    /// parse as the track's codec, or it carries a JFrame trailer whose IV repeats the previous frame's SSRC
    /// field (clear media matches that with odds below 2^-44).
    /// </summary>
    public bool LooksEncrypted { get; init; }

    public required ReadOnlySpan<byte> Data { get; init; }
}
