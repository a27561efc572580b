namespace Callbridge.Media;

[Flags]
public enum FrameFlags
{
    None = 0,
    /// <summary>A frame a decoder can start from (VP8 P bit 0; every Opus frame).</summary>
    KeyFrame = 1,
    /// <summary>Packets were lost between the previous frame and this one.</summary>
    AfterLoss = 2,
}
