namespace Callbridge.Media;

/// <summary>A whole encoded frame: where it sits in the RTP timeline and what it is.</summary>
/// <param name="RtpTimestamp">The RTP timestamp shared by the frame's packets.</param>
/// <param name="Length">Bytes of the frame.</param>
/// <param name="PacketCount">RTP packets the frame was carried in.</param>
public readonly record struct FrameInfo(uint RtpTimestamp, int Length, FrameFlags Flags, int PacketCount)
{
    public bool IsKeyFrame => (Flags & FrameFlags.KeyFrame) != 0;
}
