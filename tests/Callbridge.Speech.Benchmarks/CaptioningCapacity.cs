using System.Diagnostics;
using System.Globalization;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper;
using Callbridge.Speech.Whisper.Tests;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// `capacity` mode: real-time factor of the whole recognizer (VAD + PocketSphinx) on the sentence set,
/// resident memory per decoder, and how many speakers decoded at once still keep up with real time.
/// </summary>
internal static class CaptioningCapacity
{
    /// <summary>
    /// Arguments: [pocketsphinx|whisper] [maxStreams] [whisper model file]. Whisper without a model file uses the
    /// tests' generated tiny model, which measures the worker path (stdio, queueing, whisper.cpp's fixed costs),
    /// not the accuracy or the cost of a real model.
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        string engineName = args.Count > 0 && !char.IsAsciiDigit(args[0][0]) ? args[0] : "pocketsphinx";
        args = engineName == (args.Count > 0 ? args[0] : null) ? args.Skip(1).ToArray() : args;
        int maxStreams = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        string? model = args.Count > 1 ? args[1] : null;
        var sentences = SentenceAudio.Synthesize("slt");
        // Sentences with 0.5 s pauses: the shape of conversational turns.
        var audio = new List<short>();
        foreach (short[] s in sentences)
        {
            audio.AddRange(s);
            audio.AddRange(new short[8000]);
        }

        short[] samples = audio.ToArray();
        double audioSeconds = samples.Length / 16000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sentence set: {sentences.Count} sentences, {audioSeconds:0.0} s of audio (flite slt, 16 kHz); {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));

        using ISpeechEngine engine = engineName switch
        {
            "pocketsphinx" => new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = maxStreams }),
            "whisper" => StartWhisper(maxStreams, model),
            _ => throw new ArgumentException($"unknown engine '{engineName}' (pocketsphinx or whisper)"),
        };
        Console.WriteLine($"engine: {engineName}{(engineName == "whisper" ? $" ({model ?? "generated tiny test model"})" : "")}");
        long rssBefore = ResidentBytes();
        var warm = new List<ISpeechDecoder>();
        for (int i = 0; i < maxStreams; i++)
        {
            warm.Add(engine.TryLease()!);
        }

        long rssAfter = ResidentBytes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resident memory per decoder: {(rssAfter - rssBefore) / (double)maxStreams / (1 << 20):0.0} MiB ({maxStreams} decoders, {(rssAfter - rssBefore) / (1 << 20)} MiB)"));
        foreach (ISpeechDecoder d in warm)
        {
            engine.Return(d);
        }

        var recognizer = new StreamingRecognizer(engine);
        Console.WriteLine("streams | wall s | CPU s | wall / audio | CPU / audio per stream | real time");
        int bestRealTime = 0;
        for (int streams = 1; streams <= maxStreams; streams++)
        {
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            Task[] tasks = Enumerable.Range(0, streams).Select(i => Task.Run(() => DecodeAsync(recognizer, $"s{i}", samples))).ToArray();
            Task.WaitAll(tasks);
            wall.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            double wallRatio = wall.Elapsed.TotalSeconds / audioSeconds;
            bool realTime = wallRatio <= 1.0;
            if (realTime)
            {
                bestRealTime = streams;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{streams,7} | {wall.Elapsed.TotalSeconds,6:0.0} | {cpu,5:0.0} | {wallRatio,12:0.00} | {cpu / streams / audioSeconds,22:0.00} | {(realTime ? "yes" : "no")}"));
        }

        Console.WriteLine($"speakers captioned in real time on this host (all decoded at once, as fast as possible): {bestRealTime}");
        return 0;
    }

    private static WhisperEngine StartWhisper(int maxStreams, string? model)
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
        }).GetAwaiter().GetResult();
    }

    private static async Task DecodeAsync(IStreamingRecognizer recognizer, string speaker, short[] samples)
    {
        await using IRecognitionStream stream = recognizer.OpenStream(speaker);
        Task drain = Task.Run(async () =>
        {
            await foreach (RecognitionResult _ in stream.ReadResultsAsync())
            {
            }
        });
        for (int offset = 0; offset < samples.Length; offset += 320)
        {
            await stream.PushAsync(samples.AsMemory(offset, Math.Min(320, samples.Length - offset)));
        }

        stream.Complete();
        await drain;
    }

    private static long ResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
