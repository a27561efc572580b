namespace Callbridge.Speech.Whisper;

/// <summary>
/// Counts partial transcriptions queued in the worker across an engine's streams, up to a fixed number.
/// A slot is taken without waiting (a stream that finds none skips its partial) and given back only when
/// the worker has answered or died, so slow workers never accumulate partial work.
/// </summary>
internal sealed class PartialGate
{
    private readonly int _capacity;
    private int _taken;
    private long _requests;
    private long _answers;
    private long _skipped;
    private long _maxLatencyTicks;

    public PartialGate(int capacity) => _capacity = capacity;

    /// <summary>Slots in use now.</summary>
    public int InUse => Volatile.Read(ref _taken);

    /// <summary>Partial transcriptions sent to a worker.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Partial transcriptions a worker answered.</summary>
    public long Answers => Interlocked.Read(ref _answers);

    /// <summary>Turns skipped because the stream's or the engine's partials were still in the worker.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>The longest wait from a partial's request to its answer so far: how late partials can be.</summary>
    public TimeSpan MaxLatency => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks));

    public void CountAnswer(TimeSpan latency)
    {
        Interlocked.Increment(ref _answers);
        long ticks = latency.Ticks;
        long seen = Interlocked.Read(ref _maxLatencyTicks);
        while (ticks > seen)
        {
            long previous = Interlocked.CompareExchange(ref _maxLatencyTicks, ticks, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    public void CountSkip() => Interlocked.Increment(ref _skipped);

    public bool TryEnter()
    {
        while (true)
        {
            int taken = Volatile.Read(ref _taken);
            if (taken >= _capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken)
            {
                return true;
            }
        }
    }

    public void Exit() => Interlocked.Decrement(ref _taken);
}
