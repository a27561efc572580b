namespace Callbridge.PhoneMedia;

/// <summary>Settings of one phone RTP session.</summary>
public sealed record PhoneRtpSessionOptions
{
    /// <summary>Lowest local RTP port to try (even ports only, RFC 3550 §11); 0 lets the OS pick any port.</summary>
    public int PortMin { get; init; }

    /// <summary>Highest local RTP port to try.</summary>
    public int PortMax { get; init; }

    /// <summary>
    /// How long the jitter buffer waits for a missing packet before playing on: 40 ms is two packets, which
    /// covers the reordering seen on SIP trunks without adding to the mouth-to-ear delay beyond that.
    /// </summary>
    public TimeSpan JitterMaxLatency { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// Most decoded audio kept ahead of playout, in 20 ms frames; older audio is dropped beyond it, which
    /// bounds the delay a burst or a stalled timer can build up. 10 frames = 200 ms, the usual ceiling of
    /// VoIP jitter buffers; below it, delay above 40 ms drains by one frame per second.
    /// </summary>
    public int MaxBufferedFrames { get; init; } = 10;

    /// <summary>
    /// Send to where the peer's media comes from once it arrives (RFC 4961), not only to the SDP address:
    /// phones behind NAT announce private addresses. On by default for that reason.
    /// </summary>
    public bool SymmetricRtp { get; init; } = true;

    /// <summary>
    /// The media clock group of this session's ticks: the conference its call is for, so that the calls of one
    /// room, which hear each other through the room's rings, tick on one clock thread in one order (see
    /// <see cref="Callbridge.Media.Clock.IMediaClock.Register(System.Action{object?, long}, object?, string?)"/>). Null: any thread.
    /// </summary>
    public string? ClockGroup { get; init; }

    /// <summary>Frames sent in one timer callback to catch up after a stall; further missed frames are skipped (5 = 100 ms).</summary>
    public int MaxCatchUpFrames { get; init; } = 5;
}
