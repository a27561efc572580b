namespace Callbridge.Rtcp;

/// <summary>
/// PLI (RFC 4585 §6.3.1): PSFB (PT 206), FMT 1, no FCI.
/// <code>
/// |V=2|P|  FMT=1  |   PT=206      |          length=2             |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// </code>
/// </summary>
public readonly record struct PictureLossIndication(uint SenderSsrc, uint MediaSsrc)
{
    public const byte Format = 1;

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out PictureLossIndication pli, out int consumed)
    {
        var error = FeedbackHeader.TryRead(data, RtcpPacketType.PayloadFeedback, Format, out uint sender, out uint media, out _, out consumed);
        pli = error == RtcpError.None ? new PictureLossIndication(sender, media) : default;
        return error;
    }

    public int GetSerializedLength() => FeedbackHeader.Size;

    public int WriteTo(Span<byte> destination)
    {
        RtcpWriter.EnsureLength(destination, FeedbackHeader.Size);
        FeedbackHeader.Write(destination, RtcpPacketType.PayloadFeedback, Format, FeedbackHeader.Size, SenderSsrc, MediaSsrc);
        return FeedbackHeader.Size;
    }
}
