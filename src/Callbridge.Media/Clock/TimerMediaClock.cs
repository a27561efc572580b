namespace Callbridge.Media.Clock;

/// <summary>
/// A clock that gives each registration its own timer of the injected <see cref="TimeProvider"/>: what
/// unit tests drive with a fake time provider, and a fallback with no threads of its own. Under load a
/// thread-pool timer fires late and in bursts; <see cref="SharedMediaClock"/> is the production clock.
/// </summary>
public sealed class TimerMediaClock : IMediaClock
{
    private readonly TimeProvider _time;

    public TimerMediaClock(TimeProvider time, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _time = time;
        Period = period;
    }

    public TimeSpan Period { get; }

    public IDisposable Register(Action<object?, long> tick, object? state)
    {
        ArgumentNullException.ThrowIfNull(tick);
        return new Registration(this, tick, state);
    }

    /// <summary>One timer; the tick number is read off the provider's clock, so a late firing counts the periods missed.</summary>
    private sealed class Registration : IDisposable
    {
        private readonly TimeProvider _time;
        private readonly Action<object?, long> _tick;
        private readonly object? _state;
        private readonly long _start;
        private readonly long _periodTicks;
        private readonly ITimer _timer;

        public Registration(TimerMediaClock clock, Action<object?, long> tick, object? state)
        {
            _time = clock._time;
            _tick = tick;
            _state = state;
            _start = _time.GetTimestamp();
            _periodTicks = Math.Max(1, (long)(clock.Period.TotalSeconds * _time.TimestampFrequency));
            _timer = _time.CreateTimer(static s => ((Registration)s!).Fire(), this, clock.Period, clock.Period);
        }

        public void Dispose() => _timer.Dispose();

        private void Fire() => _tick(_state, (_time.GetTimestamp() - _start) / _periodTicks);
    }
}
