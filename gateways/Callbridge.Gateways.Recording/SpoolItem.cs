using Callbridge.Conference;

namespace Callbridge.Gateways.Recording;

internal enum SpoolItemKind
{
    Frame,
    TrackStarted,
    TrackEnded,
    Subscribed,
    Joined,
    Left,
    Tick,
}

/// <summary>
/// One piece of work for the spool loop, in arrival order. A frame's bytes are in a buffer rented from
/// the shared pool; the loop returns it. A struct, so the bounded channel holds items without allocating.
/// </summary>
internal readonly struct SpoolItem
{
    public SpoolItemKind Kind { get; init; }
    public PublishedTrack? Track { get; init; }
    public byte[]? Buffer { get; init; }
    public int Length { get; init; }
    public uint Ssrc { get; init; }
    public uint RtpTimestamp { get; init; }
    public int ClockRate { get; init; }
    public bool IsKeyFrame { get; init; }
    public bool AfterLoss { get; init; }
    public DateTimeOffset? SenderTime { get; init; }
    public long ReceivedTimestamp { get; init; }
    public string? ParticipantId { get; init; }
    public string? Text { get; init; }
}
