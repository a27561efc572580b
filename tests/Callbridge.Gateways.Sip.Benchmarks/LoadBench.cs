using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Callbridge.Conference.Janus;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.PhoneMedia;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Sip;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>Settings of one load bench: call counts ramped in turn, callers per room, sipp call rate, measurement
/// window, the media clock ("shared": the bridge's own; "timer": a thread-pool timer per call, the baseline), the calls' audio settings, and
/// whether each room has a browser stand-in publishing beside its callers (<see cref="Benchmarks.StandIns"/>).</summary>
internal sealed record LoadSettings(IReadOnlyList<int> Counts, int RoomSize, double CallsPerSecond, int WindowSeconds, string Clock, bool SendOnClock, int JanusEventLoops, PhoneConferenceAudioOptions Audio, bool StandIns = true);

/// <summary>
/// The SIP bridge in this process (runtime + hosted dial-in listener, as the host runs it) in front of an
/// embedded Janus, with sipp dialling in: per call count, every call enters the PIN as RFC 4733 events and
/// then talks; once all calls are in their rooms (or a deadline passed) and a warm-up has passed, the bench measures for a window: this
/// process's and Janus's CPU time, the bridge's underrun counters, calls still flowing both ways, and the
/// onset-to-onset delay through the bridge on the marker room's calls. The marker room's callers hear each other
/// in the bridge, so its "down" delay runs from one caller's packet into the bridge to another's packet out; its
/// stand-in publishes silence, which would otherwise cover the beeps.
/// </summary>
internal static class LoadBench
{
    private const string Pin = "1234";

    /// <summary>Time from the first INVITE of a run by which the last call should be in its room: the IVR
    /// (welcome and PIN prompts) takes about 8 s, the Janus join about 1 s unloaded.</summary>
    private const int SettleSeconds = 20;

    /// <summary>
    /// Time between the last call in its room and the window: the runtime is still tiering up the methods the
    /// new calls made hot (one JIT thread, 0.1 of a core for seconds), which a bridge running for hours does
    /// not pay. Measured from the end of the ramp, the window would count part of that start-up as per-call cost.
    /// </summary>
    private const int WarmupSeconds = 10;

    public static async Task<int> RunAsync(LoadSettings settings)
    {
        Console.WriteLine($"SIP bridge load bench: counts {string.Join(", ", settings.Counts)}, {settings.RoomSize} callers per room, " +
            $"{settings.CallsPerSecond} calls/s, {settings.WindowSeconds} s window, {settings.Clock} media clock, sends on the {(settings.SendOnClock ? "clock thread" : "connection loop")}, Janus {(settings.JanusEventLoops > 0 ? $"{settings.JanusEventLoops} shared media threads" : "a media thread per handle")}, caller encoder {settings.Audio.OpusApplication} complexity {settings.Audio.OpusComplexity}, {(settings.StandIns ? "a browser stand-in publishing in each room" : "phone callers only")}; {Environment.ProcessorCount} CPUs; load average {ProcessCpu.LoadAverage()}");
        // Janus takes a media port per handle: each call's publisher and each room's shared subscription, with room for churn.
        int ports = (2 * settings.Counts.Max()) + 100;
        var janus = new JanusFixture { EventLoops = settings.JanusEventLoops, RtpPortCount = ports };
        await janus.InitializeAsync().ConfigureAwait(false);
        var sipp = new SippFixture();
        await sipp.InitializeAsync().ConfigureAwait(false);
        var rows = new List<RunResult>();
        try
        {
            int longest = HoldSeconds(settings.Counts.Max(), settings) + 10;
            await CallerAudio.WriteSpeechAsync(Path.Combine(sipp.Folder, "load_speech.al"), sipp.Folder, TimeSpan.FromSeconds(longest)).ConfigureAwait(false);
            CallerAudio.WriteMarker(Path.Combine(sipp.Folder, "load_marker.al"), TimeSpan.FromSeconds(longest));
            foreach (int count in settings.Counts)
            {
                RunResult r = await RunOnceAsync(count, settings, janus, sipp).ConfigureAwait(false);
                rows.Add(r);
                PrintTable(rows, settings);
            }
        }
        finally
        {
            await sipp.DisposeAsync().ConfigureAwait(false);
            await janus.DisposeAsync().ConfigureAwait(false);
        }

        Console.WriteLine("logs: " + TestEnvironment.RunFolder);
        return 0;
    }

    private static int HoldSeconds(int count, LoadSettings s) => (int)Math.Ceiling(count / s.CallsPerSecond) + SettleSeconds + WarmupSeconds + s.WindowSeconds + 5;

    private static async Task<RunResult> RunOnceAsync(int count, LoadSettings settings, JanusFixture janus, SippFixture sipp)
    {
        int markers = Math.Min(settings.RoomSize, count);
        int rooms = 1 + (int)Math.Ceiling((count - markers) / (double)settings.RoomSize);
        var options = new SipBridgeOptions
        {
            ListenAddress = TestEnvironment.TestIp.ToString(),
            ListenPort = 0,
            // sipp's scenario answers no in-dialog OPTIONS; the calls end with BYE anyway.
            KeepaliveInterval = TimeSpan.Zero,
            ConferenceAudio = settings.Audio,
        };
        var roomNumbers = new string[rooms];
        for (int r = 0; r < rooms; r++)
        {
            long room = await janus.CreateRoomAsync().ConfigureAwait(false);
            roomNumbers[r] = string.Create(CultureInfo.InvariantCulture, $"+15553{r:D4}");
            options.DialIn[roomNumbers[r]] = new DialInNumberOptions { ConferenceId = room.ToString(CultureInfo.InvariantCulture), TenantId = "bench", Pin = Pin };
        }

        // Marker callers end in 9000-9003, load callers in 0000-8999: the display name's last four digits name the call.
        var up = new List<double>();
        var down = new List<double>();
        var probes = new ConcurrentDictionary<string, CallProbe>(StringComparer.Ordinal);
        for (int i = 0; i < markers; i++)
        {
            probes[(9000 + i).ToString(CultureInfo.InvariantCulture)] = new CallProbe(up, down);
        }

        foreach (CallProbe probe in probes.Values)
        {
            probe.Peers = [.. probes.Values.Where(p => !ReferenceEquals(p, probe))];
        }

        using Process? standIns = settings.StandIns ? await StartStandInsAsync(janus, options, roomNumbers).ConfigureAwait(false) : null;

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var connector = new ProbingConnector(
            new JanusConferenceConnector(http, new JanusConferenceOptions
            {
                JanusUri = janus.HttpUri,
                IceInterfaces = [TestEnvironment.TestInterface],
                IceAddresses = [TestEnvironment.TestIp],
                EnableIPv6 = false,
                SendOnCallerThread = settings.SendOnClock,
            }),
            last4 => probes.GetValueOrDefault(last4),
            conference => conference == options.DialIn[roomNumbers[0]].ConferenceId ? [.. probes.Values] : []);
        var runtime = new SipBridgeRuntime(Options.Create(options), TimeProvider.System,
            settings.Clock == "timer" ? new Callbridge.Media.Clock.TimerMediaClock(TimeProvider.System, TimeSpan.FromMilliseconds(20)) : null);
        var listener = new SipDialInListener(runtime, connector, new CapabilityNegotiator(new InMemoryDecisionAuditLog(), TimeProvider.System),
            new OpenTenantPolicies(), NullLoggerFactory.Instance);
        var calls = new ConcurrentBag<DialInCall>();
        listener.DialInStarted += g =>
        {
            var call = (DialInCall)g;
            calls.Add(call);
            if (call.CallerNumber is { Length: >= 4 } n && probes.TryGetValue(n[^4..], out var probe))
            {
                call.MediaSession.Observer = probe;
                probe.FindOwnParticipant = () => call.ConferenceParticipantId;
            }
        };
        await listener.StartAsync(CancellationToken.None).ConfigureAwait(false);

        int hold = HoldSeconds(count, settings);
        var started = Stopwatch.StartNew();
        // Marker callers 500 ms apart: their beeps (every 2 s) fall evenly apart in each other's mix.
        SippInstance marker = StartCallers(sipp, runtime, "dialin_load_marker.xml", "marker", Enumerable.Range(0, markers).Select(i => (roomNumbers[0], 9000 + i)), 2, hold);
        SippInstance? speech = count > markers
            ? StartCallers(sipp, runtime, "dialin_load_speech.xml", "speech",
                Enumerable.Range(0, count - markers).Select(i => (roomNumbers[1 + (i / settings.RoomSize)], i)), settings.CallsPerSecond, hold)
            : null;

        var deadline = TimeSpan.FromSeconds((count / settings.CallsPerSecond) + SettleSeconds);
        while (started.Elapsed < deadline && calls.Count(c => c.State == GatewayRunState.Running) < count)
        {
            await Task.Delay(250).ConfigureAwait(false);
        }

        double inRoomsAfter = started.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(WarmupSeconds)).ConfigureAwait(false);
        int janusPid = janus.Server.ProcessId;
        var before = Snapshot(calls);
        var (user0, system0) = ProcessCpu.Seconds(Environment.ProcessId);
        var (janusUser0, janusSystem0) = ProcessCpu.Seconds(janusPid);
        double sipp0 = SippSeconds(marker, speech);
        double standIns0 = ProcessSeconds(standIns);
        if (standIns is not null)
        {
            await standIns.StandardInput.WriteLineAsync("window").ConfigureAwait(false);
            await standIns.StandardInput.FlushAsync().ConfigureAwait(false);
        }

        using var sampler = new AllocationSampler { Enabled = true };
        using var socketWaits = new SocketWaitSampler { Enabled = true };
        TimeSpan gcPause0 = GC.GetTotalPauseDuration();
        int[] gcs0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        // Precise: the bytes of the objects. Not precise: the allocation blocks handed to threads, which is what
        // spends the collector's budget (a thread that allocates one object still takes a whole block).
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        long blocks0 = GC.GetTotalAllocatedBytes(precise: false);
        var threads0 = ProcessCpu.ByThreadName(Environment.ProcessId);
        var clock0 = (runtime.MediaClock as Callbridge.Media.Clock.SharedMediaClock)?.Statistics;
        long t0 = Stopwatch.GetTimestamp();
        lock (up) up.Clear();
        lock (down) down.Clear();
        await Task.Delay(TimeSpan.FromSeconds(settings.WindowSeconds)).ConfigureAwait(false);
        var (user1, system1) = ProcessCpu.Seconds(Environment.ProcessId);
        var (janusUser1, janusSystem1) = ProcessCpu.Seconds(janusPid);
        double sipp1 = SippSeconds(marker, speech);
        double standIns1 = ProcessSeconds(standIns);
        string standInsLateness = await StandInsReportAsync(standIns).ConfigureAwait(false);
        sampler.Enabled = false;
        socketWaits.Enabled = false;
        TimeSpan gcPause1 = GC.GetTotalPauseDuration();
        int[] gcs1 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        long allocated1 = GC.GetTotalAllocatedBytes(precise: true);
        long blocks1 = GC.GetTotalAllocatedBytes(precise: false);
        int hubs = runtime.AudioHubs.Open.Count;
        var threads1 = ProcessCpu.ByThreadName(Environment.ProcessId);
        var clock1 = (runtime.MediaClock as Callbridge.Media.Clock.SharedMediaClock)?.Statistics;
        double window = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var after = Snapshot(calls);
        string load = ProcessCpu.LoadAverage();
        double[] upDelays, downDelays;
        lock (up) upDelays = [.. up];
        lock (down) downDelays = [.. down];

        int markerExit = await marker.WaitForExitAsync(TimeSpan.FromSeconds(hold + 90)).ConfigureAwait(false);
        int speechExit = speech is null ? 0 : await speech.WaitForExitAsync(TimeSpan.FromSeconds(hold + 90)).ConfigureAwait(false);
        // Bounded: a call that does not finish its hang-up must not stall the next run (it is reported instead).
        using (var stopLimit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                await listener.StopAsync(stopLimit.Token).WaitAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Console.WriteLine("  the listener did not stop within 90 s");
            }
        }

        var unfinished = calls.Where(c => !c.Completion.IsCompleted).ToList();
        if (unfinished.Count > 0)
        {
            Console.WriteLine($"  {unfinished.Count} calls did not finish within 60 s of the stop: " +
                string.Join(", ", unfinished.GroupBy(c => c.State).Select(g => $"{g.Count()} {g.Key}")));
        }
        foreach (var (name, p) in probes)
        {
            Console.WriteLine($"  probe {name}: {p.Describe()}");
            p.Dispose();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sipp CPU in the window: {(sipp1 - sipp0) / window:F2} cores; stand-ins: {(standIns1 - standIns0) / window:F2} cores; rooms' shared audio subscriptions open: {hubs}"));
        if (standIns is not null)
        {
            Console.WriteLine("  " + standInsLateness);
        }

        Console.WriteLine("  bridge's ICE receive threads in the window: " + socketWaits.Describe());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  bridge CPU in the window: user {(user1 - user0) / window:F2}, system {(system1 - system0) / window:F2} cores; by thread: ") +
            string.Join(", ", threads1.Select(t => (t.Key, Cores: (t.Value - threads0.GetValueOrDefault(t.Key)).TotalSeconds / window)).Where(t => t.Cores >= 0.005)
                .OrderByDescending(t => t.Cores).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Cores:F2}"))));
        // The runtime stops every managed thread, the media clocks too, while it collects.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  garbage collector in the window: {(allocated1 - allocated0) / window / 1e6:F2} MB/s allocated, {(blocks1 - blocks0) / window / 1e6:F2} MB/s in blocks handed to threads; collections gen0 {gcs1[0] - gcs0[0]}, gen1 {gcs1[1] - gcs0[1]}, gen2 {gcs1[2] - gcs0[2]}; paused {(gcPause1 - gcPause0).TotalMilliseconds:F0} ms; allocation ticks (about 100 KB of blocks each) by the type that took a block: {sampler.Top(8)}"));
        if (clock0 is not null && clock1 is not null)
        {
            // Which way the clock was late: woken late (waiting for a CPU) or slow inside its pass (work, or a wait in it).
            Console.WriteLine($"  media clock in the window: {clock1.Passes - clock0.Passes} passes, {clock1.LatePasses - clock0.LatePasses} late, " +
                $"{clock1.LateWakes - clock0.LateWakes} woken 5 ms or more late, {clock1.SlowPasses - clock0.SlowPasses} taking 10 ms or more, " +
                $"{clock1.Overruns - clock0.Overruns} over 20 ms; priority raised: {clock1.PriorityRaised}");
        }

        if (standIns is not null)
        {
            standIns.StandardInput.Close();
            if (!standIns.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                standIns.Kill(entireProcessTree: true);
            }
        }

        var result = RunResult.From(count, rooms, window, before, after, (user1 - user0 + system1 - system0) / window,
            (janusUser1 - janusUser0 + janusSystem1 - janusSystem0) / window, load, inRoomsAfter,
            upDelays, downDelays, markerExit, speechExit, calls.Count);
        Console.WriteLine(result.Detail());
        return result;
    }

    /// <summary>
    /// How late the stand-ins' own sends were in the window (asked as it closes): a stall there reaches the bridge
    /// as a stall of their tracks, whatever Janus and the bridge do.
    /// </summary>
    private static async Task<string> StandInsReportAsync(Process? standIns)
    {
        if (standIns is null)
        {
            return "";
        }

        await standIns.StandardInput.WriteLineAsync("report").ConfigureAwait(false);
        await standIns.StandardInput.FlushAsync().ConfigureAwait(false);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await standIns.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false) ?? "the stand-ins ended without a report";
        }
        catch (OperationCanceledException)
        {
            return "the stand-ins did not report within 10 s";
        }
    }

    /// <summary>
    /// Starts this program's <c>stand-ins</c> mode as a process of its own: one publisher per room (silent in the
    /// marker room, whose beeps it would cover), up before the first call dials.
    /// </summary>
    private static async Task<Process> StartStandInsAsync(JanusFixture janus, SipBridgeOptions options, string[] roomNumbers)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(StandIns).Assembly.Location);
        psi.ArgumentList.Add("stand-ins");
        psi.ArgumentList.Add(janus.HttpUri.ToString());
        psi.ArgumentList.Add(TestEnvironment.TestInterface);
        psi.ArgumentList.Add(TestEnvironment.TestIp.ToString());
        for (int r = 0; r < roomNumbers.Length; r++)
        {
            string conference = options.DialIn[roomNumbers[r]].ConferenceId;
            psi.ArgumentList.Add(r == 0 ? conference + ":silent" : conference);
        }

        Process process = Process.Start(psi) ?? throw new InvalidOperationException("the stand-ins did not start");
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string? line = await process.StandardOutput.ReadLineAsync(ready.Token).ConfigureAwait(false);
        if (line is null || !line.StartsWith("stand-ins publishing", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the stand-ins did not come up: " + line);
        }

        Console.WriteLine("  " + line);
        return process;
    }

    private static double ProcessSeconds(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return 0;
        }

        var (user, system) = ProcessCpu.Seconds(process.Id);
        return user + system;
    }

    /// <summary>CPU seconds (user + system) of the sipp processes placing the calls.</summary>
    private static double SippSeconds(params SippInstance?[] instances)
    {
        double total = 0;
        foreach (SippInstance? sipp in instances)
        {
            if (sipp is not null && sipp.ExitCode is null)
            {
                var (user, system) = ProcessCpu.Seconds(sipp.ProcessId);
                total += user + system;
            }
        }

        return total;
    }

    private static SippInstance StartCallers(SippFixture sipp, SipBridgeRuntime runtime, string scenario, string name,
        IEnumerable<(string Number, int Caller)> callers, double callsPerSecond, int holdSeconds)
    {
        var list = callers.ToList();
        string injection = Path.Combine(sipp.Folder, name + "-" + list.Count.ToString(CultureInfo.InvariantCulture) + ".csv");
        var csv = new StringBuilder("SEQUENTIAL\n");
        foreach (var (number, caller) in list)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{number};+1555000{caller:D4};\n");
        }

        File.WriteAllText(injection, csv.ToString());
        return sipp.Start(new SippOptions
        {
            Scenario = scenario,
            Name = name + "-" + list.Count.ToString(CultureInfo.InvariantCulture),
            Target = runtime.LocalEndPoint,
            Calls = list.Count,
            Timeout = TimeSpan.FromSeconds(holdSeconds + 60),
            ExtraArgs =
            [
                "-inf", injection,
                "-r", callsPerSecond.ToString(CultureInfo.InvariantCulture), "-rp", "1000",
                "-l", list.Count.ToString(CultureInfo.InvariantCulture),
                "-d", (holdSeconds * 1000).ToString(CultureInfo.InvariantCulture),
            ],
        });
    }

    private static Dictionary<DialInCall, CallCounters> Snapshot(IEnumerable<DialInCall> calls)
    {
        var d = new Dictionary<DialInCall, CallCounters>();
        foreach (var c in calls)
        {
            if (c.State != GatewayRunState.Running)
            {
                continue;
            }

            PhoneRtpStatistics rtp = c.MediaSession.Statistics;
            PhoneConferenceAudioStatistics? conf = c.ConferenceAudioStatistics;
            if (conf is null)
            {
                continue;
            }

            d[c] = new CallCounters(rtp, conf);
        }

        return d;
    }

    private static void PrintTable(List<RunResult> rows, LoadSettings settings)
    {
        Console.WriteLine();
        Console.WriteLine($"| calls | rooms | in rooms | held | held, no bridge underrun | held, no audio gap | bridge CPU (cores) | CPU per call (% core) | bridge CPU per bridged frame (µs) | calls 2 cores could carry at that cost | Janus CPU (cores) | underruns: conference tracks / local callers | late ticks | source short | Opus dropped | phone frames concealed | up delay median / p95 ms (n) | down delay median / p95 ms (n) | phone playout queue, mean ms | load avg | sipp exit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine(r.Row());
        }

        Console.WriteLine($"(window {settings.WindowSeconds} s from {WarmupSeconds} s after the last call was in its room; {settings.RoomSize} callers per room{(settings.StandIns ? " and a browser stand-in" : "")}, the first room's callers play the timing beep)");
        Console.WriteLine();
    }
}
