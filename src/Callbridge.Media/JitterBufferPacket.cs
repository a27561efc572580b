namespace Callbridge.Media;

/// <summary>A packet released by the jitter buffer. <see cref="Data"/> is the buffer's own slot, valid until the next call on the buffer.</summary>
public readonly ref struct JitterBufferPacket
{
    /// <summary>The whole RTP packet as received.</summary>
    public ReadOnlySpan<byte> Data { get; init; }

    /// <summary>Extended (unwrapped) sequence number.</summary>
    public long SequenceNumber { get; init; }

    /// <summary>Arrival time, in <see cref="TimeProvider.GetTimestamp"/> units of the buffer's clock.</summary>
    public long ArrivalTimestamp { get; init; }

    /// <summary>Packets given up on immediately before this one (0 when it follows its predecessor).</summary>
    public int LostBefore { get; init; }
}
