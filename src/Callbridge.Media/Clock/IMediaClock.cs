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

    /// <summary>
    /// <see cref="Register(Action{object?, long}, object?)"/> as one of <paramref name="group"/>: a clock with
    /// several threads keeps a group's callbacks on one thread where it can, so that callbacks which hand media to
    /// each other (the phone calls of one room) run in one order, in the same pass, and never drift apart by a
    /// thread's lateness. A clock with nothing to group (a timer per callback) ignores it.
    /// </summary>
    IDisposable Register(Action<object?, long> tick, object? state, string? group) => Register(tick, state);
}
