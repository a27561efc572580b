namespace Callbridge.Media.Clock;

/// <summary>What a <see cref="SharedMediaClock"/> did since it started.</summary>
public sealed record MediaClockStatistics
{
    /// <summary>Callbacks registered now.</summary>
    public int Registrations { get; init; }

    /// <summary>Passes over the registrations (one per period per thread when on time).</summary>
    public long Passes { get; init; }

    /// <summary>Passes that started a whole period or more after their slot: the tick numbers skipped tell the callbacks.</summary>
    public long LatePasses { get; init; }

    /// <summary>Passes that took longer than one period: the thread has more work than it can do in time.</summary>
    public long Overruns { get; init; }

    /// <summary>Callbacks that threw; the clock went on with the next one.</summary>
    public long CallbackFailures { get; init; }

    /// <summary>Whether every clock thread got the configured nice value.</summary>
    public bool PriorityRaised { get; init; }
}
