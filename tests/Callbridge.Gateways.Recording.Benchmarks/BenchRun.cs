using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Callbridge.Janus.VideoRoom;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// The whole bench: for each participant count, a fresh Janus, rooms of <c>--per-room</c> bots, the recorder
/// and the subscribe-only baseline in their own processes receiving the same streams, and CPU time of each
/// process over a steady window once every track flows. Frames lost are counted per track from the RTP span
/// (what the bot sent) against what the media core delivered and what the spool file holds; packets lost, stage by
/// stage, from Janus's own counters (admin API) against the bots' and the receivers' media cores (<see cref="LossByStage"/>).
/// </summary>
internal static class BenchRun
{
    /// <summary>
    /// Time between every track flowing and the window: at 100 participants the runtime is still compiling
    /// the hot paths at tier 1 and each track's upload is being opened for several seconds after the last
    /// track starts; 20 s puts that start-up work before the window (--warmup to change).
    /// </summary>
    private static TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The runtime's background JIT thread ("Tiered Compilation Worker", truncated to 15 characters by the kernel).</summary>
    private const string JitThread = ".NET Tiered Com";

    private static Dictionary<string, string> Environment { get; set; } = [];

    public static async Task<int> MainAsync(Arguments args)
    {
        TestEnvironment.RequireNetns("the recording bench");
        int[] counts = [.. args.GetList("participants", "10,50,100").Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int perRoom = args.GetInt("per-room", 10);
        var window = TimeSpan.FromSeconds(args.GetInt("window", 30));
        Warmup = TimeSpan.FromSeconds(args.GetInt("warmup", 20));
        // The thread pool's idle workers spin before they sleep (70 by default): with media arriving every
        // millisecond they spin most of the time. "--spin-limit 0" runs the bench's processes without it.
        string spin = args.Get("spin-limit", "default");
        Environment = spin == "default" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = spin };
        string folder = TestEnvironment.NewFolder("bench-recording");
        string clipFolder = Path.Combine(folder, "clip");
        Directory.CreateDirectory(clipFolder);
        PreEncodedClip clip = await PreEncodedClip.CreateAsync(clipFolder);
        Console.WriteLine(FormattableString.Invariant($"clip: VP8 {clip.VideoBitsPerSecond / 1000:F0} kbit/s at {clip.FramesPerSecond} fps, Opus {clip.AudioBitsPerSecond / 1000:F0} kbit/s in 20 ms frames; window {window.TotalSeconds:0} s; {System.Environment.ProcessorCount} cores; thread pool spin limit {spin}"));

        var rows = new List<string>();
        foreach (int participants in counts)
        {
            rows.Add(await RunOneAsync(participants, perRoom, window, clip, clipFolder, Path.Combine(folder, participants.ToString(CultureInfo.InvariantCulture))));
            Console.WriteLine(rows[^1]);
        }

        Console.WriteLine();
        Console.WriteLine(Header);
        foreach (string row in rows) Console.WriteLine(row);
        return 0;
    }

    private const string Header =
        "| participants | recorder CPU % of one core | per participant | baseline (subscribe only) CPU % | recorder minus baseline per participant | " +
        "frames sent (RTP span) | delivered | % delivered | written | span minus written | delivered, not written | packets lost bots->Janus | packets lost SFU->recorder | bots CPU % | Janus CPU % | load average (start -> end) |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private static async Task<string> RunOneAsync(int participants, int perRoom, TimeSpan window, PreEncodedClip clip, string clipFolder, string folder)
    {
        Directory.CreateDirectory(folder);
        Console.WriteLine($"== {participants} participants");
        var janus = new JanusFixture { EnableAdminApi = true };
        await janus.InitializeAsync();
        Dictionary<string, long> udpStart = UdpDrops.Namespace();
        try
        {
            var rooms = new List<string>();
            for (int i = 0; i < (participants + perRoom - 1) / perRoom; i++)
            {
                long room = await janus.Rooms.CreateRoomAsync(new VideoRoomCreateOptions
                {
                    Room = janus.NextRoomId(),
                    Description = "recording bench",
                    Publishers = perRoom + 4,
                    AudioCodec = "opus",
                    VideoCodec = "vp8",
                });
                rooms.Add(room.ToString(CultureInfo.InvariantCulture));
            }

            string roomList = string.Join(',', rooms);
            string uri = janus.HttpUri.ToString();
            string videoStep = clip.VideoFrameDuration90k.ToString(CultureInfo.InvariantCulture);
            await using BenchChild recorder = BenchChild.Start("recorder", ["recorder", "--janus", uri, "--rooms", roomList, "--mode", "record", "--spool", Path.Combine(folder, "record"), "--video-step", videoStep], Environment);
            await using BenchChild baseline = BenchChild.Start("baseline", ["recorder", "--janus", uri, "--rooms", roomList, "--mode", "discard", "--spool", Path.Combine(folder, "discard"), "--video-step", videoStep], Environment);
            await recorder.ExpectAsync("ready", TimeSpan.FromSeconds(120));
            await baseline.ExpectAsync("ready", TimeSpan.FromSeconds(120));
            var started = Stopwatch.StartNew();
            await using BenchChild bots = BenchChild.Start("bots", ["bots", "--janus", uri, "--rooms", roomList, "--per-room", perRoom.ToString(CultureInfo.InvariantCulture),
                "--count", participants.ToString(CultureInfo.InvariantCulture), "--clip", clipFolder], Environment);
            string ready = await bots.ExpectAsync("ready", TimeSpan.FromSeconds(300));
            Console.WriteLine($"  bots ready ({ready}: published, failed) after {started.Elapsed.TotalSeconds:F0} s");

            // Steady state: every track of every bot that published reaches both subscribers.
            int published = int.Parse(ready.Split(' ')[0], CultureInfo.InvariantCulture);
            int tracks = 2 * published;
            var flowing = Stopwatch.StartNew();
            while (true)
            {
                RecorderReport r = Parse<RecorderReport>(await recorder.AskAsync("stats", "stats", TimeSpan.FromSeconds(10)));
                RecorderReport b = Parse<RecorderReport>(await baseline.AskAsync("stats", "stats", TimeSpan.FromSeconds(10)));
                if (r.Tracks >= tracks && b.Tracks >= tracks) break;
                if (flowing.Elapsed > TimeSpan.FromSeconds(120))
                {
                    Console.WriteLine($"  only {r.Tracks} (recorder) / {b.Tracks} (baseline) of {tracks} tracks flow after 120 s: measuring what flows");
                    break;
                }
                await Task.Delay(1000);
            }

            Console.WriteLine($"  all {tracks} tracks flow {flowing.Elapsed.TotalSeconds:F0} s after the bots were ready; warming up {Warmup.TotalSeconds:0} s, measuring {window.TotalSeconds:0} s");
            await Task.Delay(Warmup);
            string loadBefore = ProcessCpu.LoadAverage();
            int janusPid = janus.Server.ProcessId;
            (TimeSpan rec, TimeSpan bas, TimeSpan bot, TimeSpan jan) before = (ProcessCpu.Read(recorder.Pid), ProcessCpu.Read(baseline.Pid), ProcessCpu.Read(bots.Pid), ProcessCpu.Read(janusPid));
            Dictionary<string, TimeSpan> recorderThreads = ProcessCpu.ByThreadName(recorder.Pid), baselineThreads = ProcessCpu.ByThreadName(baseline.Pid);
            int[] udpPids = [recorder.Pid, baseline.Pid, bots.Pid, janusPid];
            Dictionary<int, long> dropsBefore = UdpDrops.ByProcess(udpPids);
            Dictionary<int, TimeSpan> recorderJitBefore = ThreadCpu(recorder.Pid, JitThread), baselineJitBefore = ThreadCpu(baseline.Pid, JitThread);
            long deliveredAtStart = Parse<RecorderReport>(await recorder.AskAsync("stats", "stats", TimeSpan.FromSeconds(10))).Delivered;
            var measured = Stopwatch.StartNew();
            await Task.Delay(window);
            long deliveredInWindow = Parse<RecorderReport>(await recorder.AskAsync("stats", "stats", TimeSpan.FromSeconds(10))).Delivered - deliveredAtStart;
            Console.WriteLine("  recorder threads: " + ProcessCpu.Busiest(recorderThreads, ProcessCpu.ByThreadName(recorder.Pid)));
            Console.WriteLine("  baseline threads: " + ProcessCpu.Busiest(baselineThreads, ProcessCpu.ByThreadName(baseline.Pid)));
            TimeSpan recorderJit = JitSeconds(recorderJitBefore, ThreadCpu(recorder.Pid, JitThread));
            TimeSpan baselineJit = JitSeconds(baselineJitBefore, ThreadCpu(baseline.Pid, JitThread));
            (TimeSpan rec, TimeSpan bas, TimeSpan bot, TimeSpan jan) after = (ProcessCpu.Read(recorder.Pid), ProcessCpu.Read(baseline.Pid), ProcessCpu.Read(bots.Pid), ProcessCpu.Read(janusPid));
            Dictionary<int, long> dropsAfter = UdpDrops.ByProcess(udpPids);
            long Dropped(int pid) => dropsAfter[pid] - dropsBefore[pid];
            Console.WriteLine($"  UDP datagrams dropped by the kernel in the window (full receive buffers): recorder {Dropped(recorder.Pid)}, baseline {Dropped(baseline.Pid)}, bots {Dropped(bots.Pid)}, Janus {Dropped(janusPid)}");
            double seconds = measured.Elapsed.TotalSeconds;
            string loadAfter = ProcessCpu.LoadAverage();

            BotsReport sent = Parse<BotsReport>(await bots.AskAsync("stop", "final", TimeSpan.FromSeconds(30)));
            // Quiet tracks are flushed 0.5 s after their last frame (and at once when unpublished): wait past that.
            await Task.Delay(TimeSpan.FromSeconds(2));
            // Janus's counters now, while every handle is still joined (the receivers' stop unsubscribes).
            using var adminHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
            var admin = new JanusAdminClient(adminHttp, janus.AdminUri!, janus.AdminSecret!);
            var loss = new LossByStage(sent, await JanusHandleCounters.ReadAllAsync(admin, Path.Combine(folder, "janus-handles.json")), LossByStage.TooOldDiscards(janus.LogPath));
            Dictionary<int, long> dropsTotal = UdpDrops.ByProcess(udpPids);
            Dictionary<string, long> udpEnd = UdpDrops.Namespace();
            long Udp(string name) => udpEnd.GetValueOrDefault(name) - udpStart.GetValueOrDefault(name);
            Console.WriteLine($"  UDP datagrams dropped by the kernel since each process's sockets opened: recorder {dropsTotal[recorder.Pid]}, baseline {dropsTotal[baseline.Pid]}, bots {dropsTotal[bots.Pid]}, Janus {dropsTotal[janusPid]}; " +
                $"namespace since Janus started: RcvbufErrors {Udp("RcvbufErrors")}, SndbufErrors {Udp("SndbufErrors")}, InErrors {Udp("InErrors")}, InDatagrams {Udp("InDatagrams")}, OutDatagrams {Udp("OutDatagrams")}");
            RecorderReport recorded = Parse<RecorderReport>(await recorder.AskAsync("stop", "final", TimeSpan.FromSeconds(600)));
            Console.WriteLine("  recorder's own counters: " + await recorder.ExpectAsync("counters", TimeSpan.FromSeconds(10)));
            RecorderReport discarded = Parse<RecorderReport>(await baseline.AskAsync("stop", "final", TimeSpan.FromSeconds(60)));
            await baseline.ExpectAsync("counters", TimeSpan.FromSeconds(10));

            double Percent(TimeSpan a, TimeSpan b) => 100 * (b - a).TotalSeconds / seconds;
            double recorderCpu = Percent(before.rec, after.rec);
            double baselineCpu = Percent(before.bas, after.bas);
            long expected = recorded.PerTrack.Sum(t => t.Expected);
            long delivered = recorded.PerTrack.Sum(t => t.Delivered);
            long written = recorded.PerTrack.Sum(t => t.Written);
            long baselineExpected = discarded.PerTrack.Sum(t => t.Expected);
            long baselineDelivered = discarded.PerTrack.Sum(t => t.Delivered);
            Console.WriteLine(FormattableString.Invariant($"  JIT thread in the window: recorder {100 * recorderJit.TotalSeconds / seconds:F1} %, baseline {100 * baselineJit.TotalSeconds / seconds:F1} % of a core; without it: recorder {recorderCpu - 100 * recorderJit.TotalSeconds / seconds:F1} %, baseline {baselineCpu - 100 * baselineJit.TotalSeconds / seconds:F1} %"));
            // CPU per delivered frame does not depend on how many frames the bots and Janus got through.
            Console.WriteLine(FormattableString.Invariant($"  recorder: {deliveredInWindow / seconds:F0} frames/s delivered in the window, {1e6 * (after.rec - before.rec).TotalSeconds / Math.Max(1, deliveredInWindow):F1} µs of CPU per delivered frame; at every frame of {participants} participants ({(50 + clip.FramesPerSecond) * participants}/s) that is {100 * (after.rec - before.rec).TotalSeconds / Math.Max(1, deliveredInWindow) * (50 + clip.FramesPerSecond) * participants:F1} % of a core"));
            Console.WriteLine($"  bots: {JsonSerializer.Serialize(sent)}");
            Console.WriteLine($"  baseline: {baselineDelivered} of {baselineExpected} frames delivered");
            foreach (TrackReport t in recorded.PerTrack.Where(t => t.Written != t.Expected).Take(10))
                Console.WriteLine($"  track {t.TrackId} ({(t.Video ? "video" : "audio")}): expected {t.Expected}, delivered {t.Delivered}, written {t.Written}, after loss {t.AfterLoss}");
            MediaCoreCounters recorderMedia = recorded.Media ?? throw new InvalidDataException("the recorder's final report has no media core counters");
            MediaCoreCounters baselineMedia = discarded.Media ?? throw new InvalidDataException("the baseline's final report has no media core counters");
            foreach (string line in loss.Lines(rooms.Count, recorderMedia, baselineMedia, delivered - written)) Console.WriteLine(line);

            return string.Create(CultureInfo.InvariantCulture,
                $"| {participants}{(published < participants ? $" ({published} published)" : "")} | {recorderCpu:F1} | {recorderCpu / participants:F3} | {baselineCpu:F1} | {(recorderCpu - baselineCpu) / participants:F3} | " +
                $"{expected} | {delivered} | {100.0 * delivered / Math.Max(1, expected):F1} | {written} | {expected - written} | {delivered - written} | {loss.BotsToJanus} | {loss.SfuToProcess(RecorderMode.RecorderName, recorderMedia)} | " +
                $"{Percent(before.bot, after.bot):F1} | {Percent(before.jan, after.jan):F1} | {loadBefore} -> {loadAfter} |");
        }
        finally
        {
            await janus.DisposeAsync();
        }
    }

    /// <summary>CPU time of each thread of <paramref name="pid"/> named <paramref name="name"/>, by thread id (the JIT thread exits when idle and a new one starts).</summary>
    private static Dictionary<int, TimeSpan> ThreadCpu(int pid, string name)
    {
        var result = new Dictionary<int, TimeSpan>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal), close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != name) continue;
                string[] fields = stat[(close + 2)..].Split(' ');
                // proc(5): utime and stime are fields 14 and 15, in clock ticks of 1/100 s.
                double seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                result[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = TimeSpan.FromSeconds(seconds);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return result;
    }

    /// <summary>What the JIT threads alive at the end used since the start (a thread that ended in between is not counted).</summary>
    private static TimeSpan JitSeconds(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after) =>
        after.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Value - before.GetValueOrDefault(t.Key));

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException("empty report: " + json);
}
