namespace Callbridge.Conference;

/// <summary>The bot's own audio track in the conference (Opus, 48 kHz); disposing it unpublishes.</summary>
public interface IConferenceAudioPublication : IAsyncDisposable
{
    /// <summary>The SSRC the track is sent with.</summary>
    uint Ssrc { get; }

    /// <summary>
    /// Sends one Opus packet covering <paramref name="samples48k"/> samples at 48 kHz (960 for 20 ms).
    /// False when the media path is not up yet or is gone (the packet is dropped, nothing is queued).
    /// </summary>
    bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960);
}

/// <summary>
/// Turns an outgoing encoded frame into what goes on the wire (an E2EE sender transform, e.g. JFrame).
/// Returns the bytes written to <paramref name="output"/>, or -1 to drop the frame.
/// </summary>
public delegate int OutgoingFrameTransform(ReadOnlySpan<byte> frame, uint ssrc, uint rtpTimestamp, Span<byte> output);

/// <summary>How the bot publishes its audio.</summary>
/// <param name="Transform">Applied to every frame before packetization; null sends frames as they are.</param>
/// <param name="MaxTransformOverhead">Bytes the transform may add to a frame.</param>
public sealed record AudioPublicationOptions(OutgoingFrameTransform? Transform = null, int MaxTransformOverhead = 0);
