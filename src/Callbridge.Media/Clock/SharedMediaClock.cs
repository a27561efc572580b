using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Callbridge.Media.Clock;

/// <summary>
/// The production media clock: a few dedicated threads that wake on an absolute 20 ms schedule and call
/// every callback registered on them. One clock serves every call of a process, so there is no timer per
/// call and no wait in the thread pool's queue between the timer and the media work: the two costs that
/// made per-call timers late and bursty under load.
/// </summary>
/// <remarks>
/// Threads: each worker owns an immutable array of its registrations, replaced under <c>_gate</c> when one
/// is added or removed, and read without a lock on every pass. A removed registration is flagged first, so
/// after <see cref="IDisposable.Dispose"/> at most the call already under way completes.
/// Groups: <c>_groups</c> (under <c>_gate</c>) maps a group to the worker its registrations went to and how many
/// are left; a group's next registration goes there too, unless that worker already has
/// <see cref="GroupSpill"/> more registrations than the least loaded (one very large group must not fill one thread
/// while another idles). Workers start their schedules at different instants, so two threads' passes fall
/// anywhere up to a period apart, plus either thread's lateness: only one thread gives a group one order.
/// </remarks>
public sealed partial class SharedMediaClock : IMediaClock, IDisposable
{
    private static readonly Lazy<SharedMediaClock> ProcessClock = new(() => new SharedMediaClock());

    /// <summary>How far a group's worker may be ahead of the least loaded one, in registrations, and still take the group's next one.</summary>
    internal const int GroupSpill = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Worker Worker, int Count)> _groups = new(StringComparer.Ordinal);
    private readonly Worker[] _workers;
    private readonly long _periodTicks;
    private readonly int _nice;
    private volatile bool _stopping;

    public SharedMediaClock(MediaClockOptions? options = null)
    {
        options ??= new MediaClockOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Period, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads);
        Period = options.Period;
        _periodTicks = (long)(options.Period.TotalSeconds * Stopwatch.Frequency);
        _nice = options.Nice;
        int threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        _workers = new Worker[threads];
        for (int i = 0; i < threads; i++)
        {
            _workers[i] = new Worker(this, i);
        }
    }

    /// <summary>
    /// One clock with the default options for a process whose owner configured none: its threads start with
    /// the first registration and live as long as the process.
    /// </summary>
    public static SharedMediaClock Default => ProcessClock.Value;

    public TimeSpan Period { get; }

    /// <summary>The last exception a callback threw (for the owner's log), null if none.</summary>
    public Exception? LastCallbackFailure { get; private set; }

    public MediaClockStatistics Statistics
    {
        get
        {
            int registrations = 0;
            long passes = 0, late = 0, overruns = 0, failures = 0, lateWakes = 0, slow = 0;
            bool raised = true;
            foreach (Worker w in _workers)
            {
                registrations += w.Entries.Length;
                passes += Interlocked.Read(ref w.Passes);
                late += Interlocked.Read(ref w.LatePasses);
                overruns += Interlocked.Read(ref w.Overruns);
                failures += Interlocked.Read(ref w.Failures);
                lateWakes += Interlocked.Read(ref w.LateWakes);
                slow += Interlocked.Read(ref w.SlowPasses);
                raised &= w.PriorityRaised;
            }

            return new MediaClockStatistics
            {
                Registrations = registrations,
                Passes = passes,
                LatePasses = late,
                Overruns = overruns,
                CallbackFailures = failures,
                LateWakes = lateWakes,
                SlowPasses = slow,
                PriorityRaised = raised,
            };
        }
    }

    public IDisposable Register(Action<object?, long> tick, object? state) => Register(tick, state, null);

    public IDisposable Register(Action<object?, long> tick, object? state, string? group)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            Worker least = _workers[0];
            foreach (Worker w in _workers)
            {
                if (w.Entries.Length < least.Entries.Length)
                {
                    least = w;
                }
            }

            Worker chosen = least;
            if (group is not null)
            {
                if (_groups.TryGetValue(group, out var placed) && placed.Worker.Entries.Length - least.Entries.Length < GroupSpill)
                {
                    chosen = placed.Worker;
                }

                // The group follows its newest registration: after a spill, the rest of it joins that one.
                _groups[group] = (chosen, (placed.Worker is null ? 0 : placed.Count) + 1);
            }

            var entry = new Entry(this, chosen, tick, state, group);
            chosen.Entries = [.. chosen.Entries, entry];
            chosen.EnsureStarted();
            return entry;
        }
    }

    /// <summary>The clock thread a registration runs on (its index), for tests and figures.</summary>
    internal static int ThreadOf(IDisposable registration) => ((Entry)registration).Owner.Index;

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        foreach (Worker w in _workers)
        {
            w.Join(Period * 5);
        }
    }

    private void Remove(Entry entry)
    {
        lock (_gate)
        {
            Worker w = entry.Owner;
            int index = Array.IndexOf(w.Entries, entry);
            if (index < 0)
            {
                return;
            }

            Entry[] rest = new Entry[w.Entries.Length - 1];
            Array.Copy(w.Entries, 0, rest, 0, index);
            Array.Copy(w.Entries, index + 1, rest, index, rest.Length - index);
            w.Entries = rest;
            if (entry.Group is { } group && _groups.TryGetValue(group, out var placed))
            {
                if (placed.Count <= 1)
                {
                    _groups.Remove(group);
                }
                else
                {
                    _groups[group] = (placed.Worker, placed.Count - 1);
                }
            }
        }
    }

    // Linux: with PRIO_PROCESS and a thread id, setpriority changes that one thread (the kernel schedules
    // threads, not processes): see setpriority(2), "Bugs" and NPTL notes.
    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    private bool TryRaisePriority()
    {
        if (_nice == 0)
        {
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(0, GetThreadId(), _nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private sealed class Entry(SharedMediaClock clock, Worker owner, Action<object?, long> tick, object? state, string? group) : IDisposable
    {
        private volatile bool _removed;

        public Worker Owner { get; } = owner;

        public string? Group { get; } = group;

        public bool Removed => _removed;

        /// <summary>The worker's tick number at registration: this registration counts its ticks from there.</summary>
        public long Origin { get; set; } = -1;

        public void Invoke(long tick1) => tick(state, tick1);

        public void Dispose()
        {
            _removed = true;
            clock.Remove(this);
        }
    }

    /// <summary>One clock thread and the registrations it serves.</summary>
    private sealed class Worker(SharedMediaClock clock, int index)
    {
        public long Passes;
        public long LatePasses;
        public long Overruns;
        public long Failures;
        public long LateWakes;
        public long SlowPasses;
        private Thread? _thread;

        public volatile Entry[] Entries = [];

        public int Index => index;

        public bool PriorityRaised { get; private set; } = true;

        public void EnsureStarted()
        {
            if (_thread is not null)
            {
                return;
            }

            // A media thread must never keep the process alive nor wait behind the thread pool.
            _thread = new Thread(Run) { IsBackground = true, Name = $"media-clock-{index}" };
            _thread.Start();
        }

        public void Join(TimeSpan timeout)
        {
            Thread? t = _thread;
            if (t is not null && t != Thread.CurrentThread)
            {
                t.Join(timeout);
            }
        }

        private void Run()
        {
            PriorityRaised = clock.TryRaisePriority();
            long period = clock._periodTicks;
            long start = Stopwatch.GetTimestamp();
            long tick = 0;
            while (!clock._stopping)
            {
                tick++;
                long slot = start + (tick * period);
                long wait = slot - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // Whole milliseconds, rounded up: a wake-up a little late costs nothing (the tick number is
                    // exact); one early would spin.
                    Thread.Sleep((int)((wait * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                }

                long began = Stopwatch.GetTimestamp();
                if (began - slot >= period / 4)
                {
                    Interlocked.Increment(ref LateWakes);
                }

                long reached = (began - start) / period;
                if (reached > tick)
                {
                    // Slept through whole periods (a stalled host): the callbacks see the gap in the numbers.
                    Interlocked.Increment(ref LatePasses);
                    tick = reached;
                }

                foreach (Entry e in Entries)
                {
                    if (e.Removed)
                    {
                        continue;
                    }

                    if (e.Origin < 0)
                    {
                        e.Origin = tick - 1;
                    }

                    try
                    {
                        e.Invoke(tick - e.Origin);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // One failing callback must not stop the pace of every other call on this thread.
                        Interlocked.Increment(ref Failures);
                        clock.LastCallbackFailure = ex;
                    }
                }

                Interlocked.Increment(ref Passes);
                long took = Stopwatch.GetTimestamp() - began;
                if (took >= period / 2)
                {
                    Interlocked.Increment(ref SlowPasses);
                }

                if (took > period)
                {
                    Interlocked.Increment(ref Overruns);
                }
            }
        }
    }
}
