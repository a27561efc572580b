using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Opus over RTP (RFC 7587 §4.2): each packet's payload is exactly one Opus packet, i.e. one frame.
/// Expects packets in order (after the jitter buffer); flags frames that follow a sequence gap.
/// </summary>
public sealed class OpusDepacketizer
{
    private ushort _lastSequence;
    private bool _started;

    public long Frames { get; private set; }

    /// <summary>Copies the frame into <paramref name="destination"/>.</summary>
    public DepacketizeResult Depacketize(scoped in RtpPacket packet, Span<byte> destination, out FrameInfo frame)
    {
        frame = default;
        var payload = packet.Payload;
        // An empty payload carries no Opus packet (RFC 6716 §3.2: length 0 is not a valid packet).
        if (payload.IsEmpty || OpusToc.GetSampleCount(payload) < 0)
        {
            return DepacketizeResult.Invalid;
        }

        if (payload.Length > destination.Length)
        {
            return DepacketizeResult.FrameTooLarge;
        }

        var flags = FrameFlags.KeyFrame;
        if (_started && packet.SequenceNumber != (ushort)(_lastSequence + 1))
        {
            flags |= FrameFlags.AfterLoss;
        }

        _started = true;
        _lastSequence = packet.SequenceNumber;
        payload.CopyTo(destination);
        frame = new FrameInfo(packet.Timestamp, payload.Length, flags, 1);
        Frames++;
        return DepacketizeResult.Frame;
    }
}
