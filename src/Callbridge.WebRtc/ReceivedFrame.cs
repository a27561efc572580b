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

    public required ReadOnlySpan<byte> Data { get; init; }
}
