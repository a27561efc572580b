namespace Callbridge.Media;

/// <summary>Per-track jitter buffer settings.</summary>
public sealed record JitterBufferOptions
{
    /// <summary>
    /// Slots in the ring (a power of two). 512 holds about 1.7 s of 720p video at 300 packets/s, well
    /// above <see cref="MaxDepth"/>, so a slot is never reused while its packet may still be released.
    /// </summary>
    public int Capacity { get; init; } = 512;

    /// <summary>Largest RTP packet kept, in bytes; 1500 is the Ethernet MTU, which no packet received over UDP here exceeds.</summary>
    public int MaxPacketSize { get; init; } = 1500;

    /// <summary>
    /// Longest a packet waits for a missing predecessor before the buffer gives up on the gap.
    /// 200 ms leaves room for one NACK round trip on typical SFU paths (RTT under 150 ms) without
    /// audible delay growth.
    /// </summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most sequence numbers spanned (next to release .. newest) before a gap is given up regardless of time.</summary>
    public int MaxDepth { get; init; } = 256;
}
