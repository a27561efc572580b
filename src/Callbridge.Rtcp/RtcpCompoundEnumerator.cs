namespace Callbridge.Rtcp;

/// <summary>
/// Iterates the packets of a compound RTCP datagram (RFC 3550 §6.1) without allocating. Each step yields
/// the packet's header, its kind and its bytes (<see cref="CurrentPacket"/>) to hand to that type's
/// TryParse. Iteration stops at the first malformed header; <see cref="Error"/> then says why, and the
/// packets before it remain valid.
/// </summary>
public ref struct RtcpCompoundEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public RtcpCompoundEnumerator(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Error = RtcpError.None;
        CurrentHeader = default;
        CurrentPacket = default;
        CurrentKind = RtcpPacketKind.Unknown;
    }

    public RtcpHeader CurrentHeader { get; private set; }

    public RtcpPacketKind CurrentKind { get; private set; }

    /// <summary>The whole current packet, header and padding included.</summary>
    public ReadOnlySpan<byte> CurrentPacket { get; private set; }

    /// <summary>Offset of <see cref="CurrentPacket"/> in the datagram.</summary>
    public readonly int CurrentOffset => _offset - CurrentPacket.Length;

    public RtcpError Error { get; private set; }

    public bool MoveNext()
    {
        CurrentPacket = default;
        if (Error != RtcpError.None || _offset >= _data.Length)
        {
            return false;
        }

        var rest = _data[_offset..];
        var error = RtcpHeader.TryParse(rest, out var header);
        if (error == RtcpError.None)
        {
            error = RtcpHeader.TrySlice(rest, header, out _, out _);
        }

        if (error != RtcpError.None)
        {
            Error = error;
            return false;
        }

        CurrentHeader = header;
        CurrentPacket = rest[..header.PacketLength];
        CurrentKind = header.Classify(CurrentPacket);
        _offset += header.PacketLength;
        return true;
    }
}
