namespace Callbridge.Rtcp;

/// <summary>
/// SDES: source description (RFC 3550 §6.5).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |
/// |                           SDES items                          |  type(8) length(8) text ...
/// |                              ...                              |  ends with a null octet, then
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+  zeros to the next 32-bit boundary
/// </code>
/// </summary>
public readonly ref struct SourceDescription
{
    /// <summary>Number of chunks (SC, 5 bits).</summary>
    public int ChunkCount { get; init; }

    /// <summary>The chunks as on the wire (each padded to 32 bits).</summary>
    public ReadOnlySpan<byte> Chunks { get; init; }

    public SdesChunkEnumerator GetChunks() => new(Chunks, ChunkCount);

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out SourceDescription description, out int consumed)
    {
        description = default;
        var error = RtcpHeader.TryReadPacket(data, RtcpPacketType.SourceDescription, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        // Validate every chunk now, so enumeration later cannot fail.
        var chunks = new SdesChunkEnumerator(body, header.Count);
        int seen = 0;
        while (chunks.MoveNext())
        {
            var items = chunks.Current.GetItems();
            while (items.MoveNext())
            {
            }

            seen++;
        }

        if (chunks.Malformed || seen != header.Count)
        {
            consumed = 0;
            return RtcpError.InvalidSdes;
        }

        description = new SourceDescription { ChunkCount = header.Count, Chunks = body[..chunks.Consumed] };
        return RtcpError.None;
    }

    public int GetSerializedLength() => RtcpHeader.Size + Chunks.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (Chunks.Length % 4 != 0 || ChunkCount > 31)
        {
            RtcpWriter.ThrowInvalid("SDES chunks must be 32-bit aligned and at most 31.");
        }

        RtcpHeader.Write(destination, (byte)ChunkCount, (byte)RtcpPacketType.SourceDescription, length);
        Chunks.CopyTo(destination[RtcpHeader.Size..]);
        return length;
    }
}
