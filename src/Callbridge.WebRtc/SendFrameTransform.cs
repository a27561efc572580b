namespace Callbridge.WebRtc;

/// <summary>
/// Turns an outgoing encoded frame into what is packetized (an E2EE sender transform such as JFrame), on the
/// connection's loop with the SSRC and RTP timestamp the frame is sent with. Returns the bytes written to
/// <paramref name="output"/>, or -1 to drop the frame (its duration still advances the RTP clock).
/// </summary>
public delegate int SendFrameTransform(ReadOnlySpan<byte> frame, uint ssrc, uint rtpTimestamp, Span<byte> output);
