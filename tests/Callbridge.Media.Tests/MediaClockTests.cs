using System.Collections.Concurrent;
using System.Diagnostics;
using Callbridge.Media.Clock;

namespace Callbridge.Media.Tests;

public sealed class MediaClockTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void Each_call_carries_the_number_of_periods_since_the_registration()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 1, Nice = 0 });
        var seen = new ConcurrentQueue<(long Tick, long At)>();
        long registered = Stopwatch.GetTimestamp();
        using (clock.Register((_, tick) => seen.Enqueue((tick, Stopwatch.GetTimestamp())), null))
        {
            SpinWait.SpinUntil(() => seen.Count >= 25, TimeSpan.FromSeconds(20));
        }

        var calls = seen.ToArray();
        Assert.True(calls.Length >= 25, $"{calls.Length} calls");
        Assert.Equal(1, calls[0].Tick);
        for (int i = 1; i < calls.Length; i++)
        {
            Assert.True(calls[i].Tick > calls[i - 1].Tick, $"tick {calls[i].Tick} after {calls[i - 1].Tick}");
        }

        // The numbers follow real time, however late a call came: never ahead of the periods elapsed since the
        // registration (the first tick is the first whole period after it), and the clock is not slow either.
        foreach (var (tick, at) in calls)
        {
            double periods = Stopwatch.GetElapsedTime(registered, at) / Period;
            Assert.True(tick <= periods + 1.0, $"tick {tick} at {periods:F2} periods");
        }

        var last = calls[^1];
        Assert.True(last.Tick >= (Stopwatch.GetElapsedTime(registered, last.At) / Period) - 2, $"tick {last.Tick} lags real time");
    }

    [Fact]
    public void A_stalled_pass_shows_as_skipped_tick_numbers_a_slow_pass_and_a_late_one()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 1, Nice = 0 });
        var ticks = new ConcurrentQueue<long>();
        int calls = 0;
        using (clock.Register((_, tick) =>
        {
            ticks.Enqueue(tick);
            if (Interlocked.Increment(ref calls) == 3)
            {
                Thread.Sleep(150); // a callback that blocks: the thread misses about seven slots
            }
        }, null))
        {
            SpinWait.SpinUntil(() => ticks.Count >= 6, TimeSpan.FromSeconds(20));
        }

        long[] seen = [.. ticks];
        Assert.Contains(seen.Zip(seen.Skip(1)), p => p.Second - p.First >= 5);
        MediaClockStatistics stats = clock.Statistics;
        Assert.True(stats.LatePasses >= 1);
        Assert.True(stats.Overruns >= 1);
        // The cause tells itself apart: the stalled pass is slow, and the pass after it starts late.
        Assert.True(stats.SlowPasses >= 1, $"{stats.SlowPasses} slow passes");
        Assert.True(stats.LateWakes >= 1, $"{stats.LateWakes} late wakes");
    }

    [Fact]
    public void No_call_after_the_registration_is_disposed_and_others_go_on()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 1, Nice = 0 });
        int first = 0, second = 0;
        var one = clock.Register((_, _) => Interlocked.Increment(ref first), null);
        using var two = clock.Register((_, _) => Interlocked.Increment(ref second), null);
        SpinWait.SpinUntil(() => Volatile.Read(ref first) >= 3, TimeSpan.FromSeconds(20));

        one.Dispose();
        int atDispose = Volatile.Read(ref first);
        int secondAtDispose = Volatile.Read(ref second);
        SpinWait.SpinUntil(() => Volatile.Read(ref second) >= secondAtDispose + 5, TimeSpan.FromSeconds(20));

        Assert.InRange(Volatile.Read(ref first), atDispose, atDispose + 1); // at most the call under way
        Assert.True(Volatile.Read(ref second) >= secondAtDispose + 5);
        Assert.Equal(1, clock.Statistics.Registrations);
    }

    [Fact]
    public void A_callback_that_throws_is_counted_and_the_others_keep_their_pace()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 1, Nice = 0 });
        int good = 0;
        using var bad = clock.Register((_, _) => throw new InvalidOperationException("sink failed"), null);
        using var fine = clock.Register((_, _) => Interlocked.Increment(ref good), null);
        SpinWait.SpinUntil(() => Volatile.Read(ref good) >= 5, TimeSpan.FromSeconds(20));

        Assert.True(Volatile.Read(ref good) >= 5);
        Assert.True(clock.Statistics.CallbackFailures >= 4);
        Assert.IsType<InvalidOperationException>(clock.LastCallbackFailure);
    }

    [Fact]
    public void Registrations_are_spread_over_the_threads_and_the_state_is_passed()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 2, Nice = 0 });
        var threads = new ConcurrentDictionary<string, ConcurrentBag<object?>>();
        var states = new object[] { "a", "b", "c", "d" };
        var registrations = states.Select(state => clock.Register(
            (s, _) => threads.GetOrAdd(Thread.CurrentThread.Name ?? "?", _ => []).Add(s), state)).ToList();
        SpinWait.SpinUntil(() => threads.Count == 2 && threads.Values.Sum(b => b.Distinct().Count()) == 4, TimeSpan.FromSeconds(20));
        registrations.ForEach(r => r.Dispose());

        Assert.Equal(["media-clock-0", "media-clock-1"], threads.Keys.Order());
        Assert.All(threads.Values, b => Assert.Equal(2, b.Distinct().Count()));
        Assert.Equal(states, threads.Values.SelectMany(b => b.Distinct()).Order());
    }

    [Fact]
    public void A_groups_registrations_run_on_one_thread_in_registration_order_while_the_groups_spread()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 2, Nice = 0 });
        var seen = new ConcurrentQueue<(string Group, int Member, string? Thread)>();
        var registrations = new List<IDisposable>();
        // Two rooms of three calls, joining interleaved as calls do.
        for (int member = 0; member < 3; member++)
        {
            foreach (string group in new[] { "room-a", "room-b" })
            {
                var key = (group, member);
                registrations.Add(clock.Register((_, _) => seen.Enqueue((key.group, key.member, Thread.CurrentThread.Name)), null, group));
            }
        }

        SpinWait.SpinUntil(() => seen.Count >= 60, TimeSpan.FromSeconds(20));
        var snapshot = seen.ToArray();
        registrations.ForEach(r => r.Dispose());

        var byGroup = snapshot.GroupBy(s => s.Group).ToDictionary(g => g.Key, g => g.Select(s => s.Thread).Distinct().ToArray());
        Assert.Single(byGroup["room-a"]);
        Assert.Single(byGroup["room-b"]);
        Assert.NotEqual(byGroup["room-a"][0], byGroup["room-b"][0]);
        // On its thread a group's calls come in the order they registered, every pass (the last three whole passes).
        int[] roomA = [.. snapshot.Where(s => s.Group == "room-a").Select(s => s.Member)];
        int end = Array.LastIndexOf(roomA, 2) + 1;
        Assert.True(end >= 9, $"{end} calls of room-a seen");
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], roomA[(end - 9)..end]);
    }

    [Fact]
    public void A_group_grown_far_past_the_other_threads_spills_onto_the_least_loaded()
    {
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 2, Nice = 0 });
        var registrations = Enumerable.Range(0, SharedMediaClock.GroupSpill + 2).Select(_ => clock.Register((_, _) => { }, null, "town-hall")).ToList();
        int[] threads = [.. registrations.Select(SharedMediaClock.ThreadOf)];
        registrations.ForEach(r => r.Dispose());

        // The first GroupSpill stay together; then the other thread is that far behind, and the group moves on to it.
        Assert.Single(threads[..SharedMediaClock.GroupSpill].Distinct());
        Assert.NotEqual(threads[0], threads[SharedMediaClock.GroupSpill]);
        Assert.Equal(threads[SharedMediaClock.GroupSpill], threads[SharedMediaClock.GroupSpill + 1]);
    }

    [Fact]
    public void The_clock_threads_get_the_configured_nice_value()
    {
        // A higher nice value (lower priority) needs no privilege, so this holds on any Linux host; a negative
        // one (the default) needs CAP_SYS_NICE and is reported through PriorityRaised.
        using var clock = new SharedMediaClock(new MediaClockOptions { Threads = 1, Nice = 7 });
        int nice = int.MinValue;
        using (clock.Register((_, _) => Volatile.Write(ref nice, ThreadNice()), null))
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref nice) != int.MinValue, TimeSpan.FromSeconds(20));
        }

        Assert.Equal(7, nice);
        Assert.True(clock.Statistics.PriorityRaised);
    }

    /// <summary>Field 19 of /proc/thread-self/stat (proc(5)): the calling thread's nice value.</summary>
    private static int ThreadNice()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
