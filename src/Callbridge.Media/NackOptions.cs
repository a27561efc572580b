namespace Callbridge.Media;

/// <summary>Settings of <see cref="NackGenerator"/>.</summary>
public sealed record NackOptions
{
    /// <summary>Most missing packets tracked; a larger gap is beyond repair by NACK and asks for a key frame instead. 256 ≈ one second of video.</summary>
    public int MaxMissing { get; init; } = 256;

    /// <summary>Requests per missing packet before giving up. 10 matches libwebrtc's receiver, enough for ~2 % loss on both legs.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>Wait before the first request, so that plain reordering is not NACKed. 5 ms covers reordering within a burst.</summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Floor on the interval between requests for the same packet, whatever the RTT says.</summary>
    public TimeSpan MinRetryInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>RTT assumed until <see cref="NackGenerator.UpdateRoundTripTime"/> is first called.</summary>
    public TimeSpan InitialRoundTripTime { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A packet missing longer than this is no longer useful to the jitter buffer: dropped from the list. Matches the jitter buffer's default wait plus one RTT.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMilliseconds(300);
}
