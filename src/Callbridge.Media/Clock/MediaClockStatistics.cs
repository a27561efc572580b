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

    /// <summary>
    /// Passes whose thread woke a quarter period or more after its slot, late passes included: the wait for a CPU
    /// (a busy or throttled host). With <see cref="SlowPasses"/> it tells a late clock's cause apart.
    /// </summary>
    public long LateWakes { get; init; }

    /// <summary>
    /// Passes that took half a period or more from start to end: the callbacks' own work, or a wait inside them (a
    /// lock held by a preempted thread, a CPU taken away mid-pass).
    /// </summary>
    public long SlowPasses { get; init; }

    /// <summary>Callbacks that threw; the clock went on with the next one.</summary>
    public long CallbackFailures { get; init; }

    /// <summary>Whether every clock thread got the configured nice value.</summary>
    public bool PriorityRaised { get; init; }
}
