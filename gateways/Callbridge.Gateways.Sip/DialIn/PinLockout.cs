namespace Callbridge.Gateways.Sip;

/// <summary>
/// Wrong-PIN memory per caller number: <c>threshold</c> wrong PINs within <c>window</c> lock the number out for
/// <c>duration</c> (so a caller cannot guess by redialling). A right PIN forgets the caller's failures. Bounded:
/// at most <see cref="MaxCallers"/> numbers are remembered, the stalest dropped first.
/// </summary>
internal sealed class PinLockout(int threshold, TimeSpan window, TimeSpan duration, TimeProvider time)
{
    /// <summary>10,000 numbers: far above honest traffic, and a flood of fresh caller ids only evicts itself.</summary>
    public const int MaxCallers = 10_000;

    private readonly Dictionary<string, (List<DateTimeOffset> Failures, DateTimeOffset? LockedUntil)> _callers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool IsLockedOut(string caller)
    {
        lock (_gate)
        {
            return _callers.TryGetValue(caller, out var e) && e.LockedUntil is { } until && time.GetUtcNow() < until;
        }
    }

    /// <summary>Records a wrong PIN; true when the caller is now locked out.</summary>
    public bool RecordFailure(string caller)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_callers.TryGetValue(caller, out var e))
            {
                if (_callers.Count >= MaxCallers) Evict(now);
                e = ([], null);
            }
            e.Failures.RemoveAll(t => now - t > window);
            e.Failures.Add(now);
            if (e.Failures.Count >= threshold)
            {
                e.LockedUntil = now + duration;
                e.Failures.Clear();
            }
            _callers[caller] = e;
            return e.LockedUntil is { } until && now < until;
        }
    }

    public void RecordSuccess(string caller)
    {
        lock (_gate) _callers.Remove(caller);
    }

    private void Evict(DateTimeOffset now)
    {
        string? stalest = null;
        DateTimeOffset oldest = DateTimeOffset.MaxValue;
        foreach (var (caller, e) in _callers)
        {
            if (e.LockedUntil is { } until && now < until) continue;
            var last = e.Failures.Count > 0 ? e.Failures[^1] : DateTimeOffset.MinValue;
            if (last < oldest) { oldest = last; stalest = caller; }
        }
        _callers.Remove(stalest ?? _callers.Keys.First());
    }
}
