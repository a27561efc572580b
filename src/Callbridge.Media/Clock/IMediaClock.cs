namespace Callbridge.Media.Clock;

/// <summary>
/// The pace of real-time media work (a phone call's 20 ms send and playout, a mix): calls each registered
/// callback once per <see cref="Period"/> with the clock's tick number.
/// </summary>
/// <remarks>
/// The tick number counts periods since the registration's first tick and skips numbers when the clock fell
/// behind, so a callback sends the frames it owes (tick minus its last tick) instead of trusting that every
/// period produced a call. A callback must not block: it runs on the clock's own thread, alongside others.
/// </remarks>
public interface IMediaClock
{
    /// <summary>How often a registered callback is called.</summary>
    TimeSpan Period { get; }

    /// <summary>
    /// Starts calling <paramref name="tick"/>(<paramref name="state"/>, tick number) every period until the
    /// returned registration is disposed. A call already under way when it is disposed may still finish.
    /// </summary>
    IDisposable Register(Action<object?, long> tick, object? state);
}
