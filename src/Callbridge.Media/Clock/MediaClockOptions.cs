using System.ComponentModel.DataAnnotations;

namespace Callbridge.Media.Clock;

/// <summary>Settings of the <see cref="SharedMediaClock"/>.</summary>
public sealed class MediaClockOptions
{
    /// <summary>20 ms: the packet time of G.711 (RFC 3551) and of the Opus frames the conference side sends.</summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "00:00:00.100")]
    public TimeSpan Period { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Clock threads; registrations are spread over them, least loaded first. 0 means one per processor, so the
    /// media work of many calls can use every core while each call stays on one thread.
    /// </summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>
    /// The Linux nice value asked for the clock threads (-20 to 19; 0 leaves them as they are). -10 gives them
    /// about ten times the CPU share of a normal thread when the host is busy, so media keeps its pace before
    /// bulk work does; without CAP_SYS_NICE the request is refused and the threads run at normal priority
    /// (<see cref="MediaClockStatistics.PriorityRaised"/> says which).
    /// </summary>
    [Range(-20, 19)]
    public int Nice { get; set; } = -10;
}
