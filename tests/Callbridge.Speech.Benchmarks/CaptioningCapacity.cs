using System.Diagnostics;
using System.Globalization;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper;
using Callbridge.Speech.Whisper.Tests;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// `capacity` mode, in CPU time because the host is shared and wall time follows its load:
/// 1. real-time factor: one stream decodes the sentence set as fast as it can; CPU seconds (this process
///    plus the Whisper worker) per second of audio;
/// 2. memory per stream: resident memory added per leased decoder (and the Whisper worker's own);
/// 3. speakers in real time: N streams each push the sentences at real-time pace (20 ms chunks); a step
///    keeps up when no stream's decoding ever falls more than <see cref="BacklogLimit"/> behind its pushes,
///    and meets the captions bar when the 95th percentile from end of speech to final is at most 1 s.
/// </summary>
internal static class CaptioningCapacity
{
    private const int Rate = RecognizerOptions.SampleRate;
    private const int Chunk = Rate / 50;

    // A final blocks its stream's decoding while the engine finishes the utterance (a Whisper transcription
    // takes about a second), so some backlog comes and goes; a load 10% beyond capacity piles up 2 s
    // within one 20 s step.
    private const double BacklogLimit = 2.0;

    /// <summary>
    /// Arguments: [pocketsphinx|whisper] [--streams 1,2,4] [--seconds 20] [--model FILE] [--threads N].
    /// Whisper without --model uses the tests' generated tiny model: that measures the worker path (stdio,
    /// queueing, whisper.cpp's fixed per-call costs), not the accuracy or the cost of a real model.
    /// </summary>
    /// <remarks>The steps stop at the first that does not keep up.</remarks>
    public static int Run(IReadOnlyList<string> args)
    {
        string engineName = args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "pocketsphinx";
        int[] steps = (Option(args, "--streams") ?? (engineName == "whisper" ? "1,2,3" : "1,2,4,6,8,10"))
            .Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        double stepSeconds = double.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        string? model = Option(args, "--model");
        int threads = int.Parse(Option(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        int maxStreams = steps.Max();

        List<short[]> sentences = SentenceAudio.Synthesize("slt");
        // Sentences with 0.5 s pauses: the shape of conversational turns.
        short[] samples = sentences.SelectMany(s => s.Concat(new short[Rate / 2])).ToArray();
        double audioSeconds = samples.Length / (double)Rate;
        Print($"sentence set: {sentences.Count} sentences, {audioSeconds:0.0} s of audio (flite slt, 16 kHz); {Environment.ProcessorCount} cores; load average {LoadAverage()}");

        using ISpeechEngine engine = engineName switch
        {
            "pocketsphinx" => new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = maxStreams }),
            "whisper" => StartWhisper(maxStreams, model, threads),
            _ => throw new ArgumentException($"unknown engine '{engineName}' (pocketsphinx or whisper)"),
        };
        var whisper = engine as WhisperEngine;
        Print($"engine: {engineName}{(whisper is null ? "" : $" ({model ?? "generated tiny test model: plumbing cost only"}, {threads} threads)")}");

        // 1. Memory per stream (before any stream, so every decoder is a new one).
        long rssBefore = ResidentBytes(Environment.ProcessId);
        var leased = new List<ISpeechDecoder>();
        for (int i = 0; i < maxStreams; i++)
        {
            leased.Add(engine.TryLease()!);
        }

        long perDecoder = (ResidentBytes(Environment.ProcessId) - rssBefore) / maxStreams;
        leased.ForEach(engine.Return);
        Print($"resident memory per stream: {perDecoder / (double)(1 << 20):0.0} MiB ({maxStreams} decoders){(whisper?.WorkerProcessId is { } pid ? $"; Whisper worker (model, shared): {ResidentBytes(pid) / (double)(1 << 20):0} MiB" : "")}");

        // 2. Real-time factor.
        var recognizer = new StreamingRecognizer(engine);
        CpuClock cpu = CpuClock.Start(whisper);
        var wall = Stopwatch.StartNew();
        DecodeAsFastAsPossibleAsync(recognizer, samples).GetAwaiter().GetResult();
        double rtf = cpu.Elapsed().TotalSeconds / audioSeconds;
        Print($"real-time factor (CPU s per audio s, one stream): {rtf:0.000} (wall {wall.Elapsed.TotalSeconds / audioSeconds:0.000}, load-dependent)");
        Print($"projected streams on an idle {Environment.ProcessorCount}-core host: {Environment.ProcessorCount / rtf:0.0}");

        // 3. Streams at real-time pace.
        Print($"streams at real-time pace, {stepSeconds:0} s of audio each (20 ms pushes):");
        Console.WriteLine("streams | CPU s | CPU per audio s per stream | cores / that | finals | end of speech to final p50 / p95 s | max backlog s | keeps up | p95 <= 1 s | load");
        int keepsUp = 0;
        int meetsBar = 0;
        short[] stepAudio = samples[..Math.Min(samples.Length, (int)(stepSeconds * Rate))];
        foreach (int streams in steps)
        {
            StepResult step = RunPaced(recognizer, whisper, stepAudio, streams, sentences.Count);
            bool up = step.MaxBacklog <= BacklogLimit;
            bool bar = up && step.P95 <= 1.0;
            keepsUp = up ? Math.Max(keepsUp, streams) : keepsUp;
            meetsBar = bar ? Math.Max(meetsBar, streams) : meetsBar;
            double perStream = step.Cpu / streams / (stepAudio.Length / (double)Rate);
            Print($"{streams,7} | {step.Cpu,5:0.0} | {perStream,26:0.000} | {Environment.ProcessorCount / perStream,12:0.0} | {step.Finals,6} | {step.P50,14:0.00} / {step.P95,4:0.00} | {step.MaxBacklog,13:0.00} | {(up ? "yes" : "no"),8} | {(bar ? "yes" : "no"),10} | {LoadAverage()}");
            if (!up || step.TimedOut)
            {
                // Past capacity (on this host at this load): larger steps would only take longer.
                break;
            }
        }

        Print($"speakers kept up with in real time, measured: {keepsUp}; within the 1 s end-of-speech-to-final bar: {meetsBar} (load average {LoadAverage()})");
        if (whisper is not null)
        {
            Print($"Whisper partials: {whisper.Partials.Requests} requested, {whisper.Partials.Answers} answered, {whisper.Partials.Skipped} skipped (back-pressure), slowest answer {whisper.Partials.MaxLatency.TotalSeconds:0.00} s; worker restarts {whisper.WorkerRestarts}");
        }

        return 0;
    }

    private static StepResult RunPaced(StreamingRecognizer recognizer, WhisperEngine? whisper, short[] audio, int streams, int sentenceCount)
    {
        CpuClock cpu = CpuClock.Start(whisper);
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>();
        var backlogs = new double[streams];
        using var stop = new CancellationTokenSource();
        int finals = 0;
        Task[] tasks = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            // Each stream starts at its own sentence, so utterance ends do not all fall together.
            int offset = audio.Length / Math.Max(1, sentenceCount) * i % audio.Length;
            short[] own = [.. audio.AsSpan(offset), .. audio.AsSpan(0, offset)];
            await using IRecognitionStream opened = recognizer.OpenStream($"s{i}");
            var stream = (RecognitionStream)opened;
            TimeSpan start = clock.Elapsed;
            Task reading = Task.Run(async () =>
            {
                await foreach (RecognitionResult r in stream.ReadResultsAsync())
                {
                    if (r.IsFinal)
                    {
                        double latency = (clock.Elapsed - start - r.End).TotalSeconds;
                        lock (latencies)
                        {
                            latencies.Add(latency);
                            finals++;
                        }
                    }
                }
            });
            for (int at = 0; at < own.Length; at += Chunk)
            {
                // A chunk goes out when its last sample would have been spoken.
                TimeSpan due = start + TimeSpan.FromSeconds((at + Chunk) / (double)Rate);
                TimeSpan wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token);
                }

                backlogs[i] = Math.Max(backlogs[i], (at - stream.ProcessedSamples) / (double)Rate);
                await stream.PushAsync(own.AsMemory(at, Math.Min(Chunk, own.Length - at)), stop.Token);
            }

            stream.Complete();
            await reading;
        })).ToArray();
        // A step that has fallen far behind is cut short: its figures already say it did not keep up.
        bool timedOut = !Task.WaitAll(tasks, TimeSpan.FromSeconds((audio.Length / (double)Rate) + 30));
        stop.Cancel();
        if (timedOut)
        {
            try
            {
                Task.WaitAll(tasks, TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
                // Cancelled pushes.
            }
        }

        lock (latencies)
        {
            latencies.Sort();
            return new StepResult(cpu.Elapsed().TotalSeconds, finals, Percentile(latencies, 0.5), Percentile(latencies, 0.95), backlogs.Max(), timedOut);
        }
    }

    private static async Task DecodeAsFastAsPossibleAsync(IStreamingRecognizer recognizer, short[] samples)
    {
        await using IRecognitionStream stream = recognizer.OpenStream("rtf");
        Task drain = Task.Run(async () =>
        {
            await foreach (RecognitionResult _ in stream.ReadResultsAsync())
            {
            }
        });
        for (int offset = 0; offset < samples.Length; offset += Chunk)
        {
            await stream.PushAsync(samples.AsMemory(offset, Math.Min(Chunk, samples.Length - offset)));
        }

        stream.Complete();
        await drain;
    }

    private static WhisperEngine StartWhisper(int maxStreams, string? model, int threads)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Callbridge.Gateways.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        model ??= TinyWhisperModel.Write(Path.Combine(Path.GetTempPath(), "cb-bench-whisper"));
        return WhisperEngine.StartAsync(new WhisperOptions
        {
            ModelPath = model,
            WorkerScript = Path.Combine(root, "scripts", "tools", "whisper", "worker.js"),
            NodeModulesDirectory = Path.Combine(root, ".tools", "whisper", "node_modules"),
            MaxDecoders = maxStreams,
            Threads = threads,
        }).GetAwaiter().GetResult();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private readonly record struct StepResult(double Cpu, int Finals, double P50, double P95, double MaxBacklog, bool TimedOut);

    /// <summary>CPU time of this process plus the Whisper worker (utime + stime from /proc/PID/stat).</summary>
    private sealed class CpuClock
    {
        // USER_HZ: the unit of /proc/PID/stat times on Linux, 100 on every mainstream architecture.
        private const double TicksPerSecond = 100;
        private readonly WhisperEngine? _whisper;
        private readonly TimeSpan _self;
        private readonly int? _workerPid;
        private readonly TimeSpan _worker;

        private CpuClock(WhisperEngine? whisper)
        {
            _whisper = whisper;
            _self = SelfCpu();
            _workerPid = whisper?.WorkerProcessId;
            _worker = _workerPid is { } pid ? ProcessCpu(pid) : TimeSpan.Zero;
        }

        public static CpuClock Start(WhisperEngine? whisper) => new(whisper);

        /// <summary>CPU used since the start; a worker that was replaced meanwhile is counted from its replacement's start.</summary>
        public TimeSpan Elapsed()
        {
            TimeSpan used = SelfCpu() - _self;
            if (_whisper?.WorkerProcessId is { } pid)
            {
                used += ProcessCpu(pid) - (pid == _workerPid ? _worker : TimeSpan.Zero);
            }

            return used;
        }

        private static TimeSpan SelfCpu()
        {
            using Process self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }

        private static TimeSpan ProcessCpu(int pid)
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
    }
}
