namespace Callbridge.PhoneMedia.Tests;

/// <summary>A clock that moves only when the test advances it; due timers fire in order, on the test's thread.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _ticks;
        }
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        long end;
        lock (_gate)
        {
            end = _ticks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                // A plain loop: Advance itself must not allocate, tests measure what the timer callbacks allocate.
                next = null;
                foreach (ManualTimer t in _timers)
                {
                    if (t.Due is { } due && due <= end && (next is null || due < next.Due!.Value))
                    {
                        next = t;
                    }
                }

                if (next is null)
                {
                    _ticks = end;
                    return;
                }

                _ticks = next.Due!.Value;
                next.Due = next.Period > 0 ? _ticks + next.Period : null;
            }

            next.Fire();
        }
    }

    /// <summary>Moves the clock without firing timers (a stalled timer thread).</summary>
    public void Jump(TimeSpan by)
    {
        lock (_gate)
        {
            _ticks += by.Ticks;
            foreach (ManualTimer t in _timers)
            {
                if (t.Due is not null)
                {
                    t.Due = Math.Max(t.Due.Value, _ticks);
                }
            }
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._ticks + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
