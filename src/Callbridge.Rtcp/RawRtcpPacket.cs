namespace Callbridge.Rtcp;

/// <summary>
/// Any RTCP packet kept as header + body: the fallback for unknown types and formats, and the form in
/// which transport-wide congestion control feedback (RTPFB FMT 15) is carried for now.
/// </summary>
public readonly ref struct RawRtcpPacket
{
    public const byte TransportWideFeedbackFormat = 15;

    public RtcpHeader Header { get; init; }

    /// <summary>Body after the 4-byte header, padding excluded.</summary>
    public ReadOnlySpan<byte> Body { get; init; }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out RawRtcpPacket packet, out int consumed)
    {
        packet = default;
        consumed = 0;
        var error = RtcpHeader.TryParse(data, out var header);
        if (error == RtcpError.None)
        {
            error = RtcpHeader.TrySlice(data, header, out var body, out consumed);
            packet = new RawRtcpPacket { Header = header, Body = body };
        }

        return error;
    }

    /// <summary>Size when written: header + body rounded up to 32 bits with padding.</summary>
    public int GetSerializedLength() => RtcpHeader.Size + ((Body.Length + 3) & ~3);

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        int padding = length - RtcpHeader.Size - Body.Length;
        RtcpHeader.Write(destination, Header.Count, Header.PacketType, length, padding > 0);
        Body.CopyTo(destination[RtcpHeader.Size..]);
        if (padding > 0)
        {
            destination.Slice(RtcpHeader.Size + Body.Length, padding).Clear();
            destination[length - 1] = (byte)padding;
        }

        return length;
    }
}
