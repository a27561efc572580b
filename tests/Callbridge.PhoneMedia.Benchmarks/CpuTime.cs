using System.Diagnostics;
using System.Globalization;
using Callbridge.Audio.Opus;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// Processor time (not wall time) per bridged-call frame, which a machine shared with other work does not
/// inflate: <c>dotnet run -c Release --project tests/Callbridge.PhoneMedia.Benchmarks -- --cpu-time</c>.
/// Calls per core = 20 ms / CPU time per frame.
/// </summary>
internal static class CpuTime
{
    private const int Frames = 3000;

    public static void Run()
    {
        Console.WriteLine("caller's encoder                tracks  cpu us/frame  calls/core  calls on 2 cores");
        var defaults = new PhoneConferenceAudioOptions();
        foreach ((string encoder, PhoneConferenceAudioOptions options) in new[]
        {
            ("low delay (CELT), complexity 0", defaults),
            ("VoIP (SILK), complexity 1", defaults with { OpusApplication = OpusApplication.Voip, OpusComplexity = 1 }),
        })
        {
            foreach (int tracks in new[] { 1, 3 })
            {
                using var bench = new BridgedCallBenchmarks
                {
                    SpeakingTracks = tracks,
                    Options = options,
                };
                bench.Setup();
                for (int i = 0; i < 500; i++)
                {
                    bench.BridgedCallFrame();
                }

                double best = double.MaxValue;
                for (int round = 0; round < 3; round++)
                {
                    TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                    for (int i = 0; i < Frames; i++)
                    {
                        bench.BridgedCallFrame();
                    }

                    double perFrame = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / Frames;
                    best = Math.Min(best, perFrame);
                }

                double perCore = 20_000 / best;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{encoder,-31} {tracks,6} {best,13:F1} {perCore,11:F0} {2 * perCore,17:F0}"));
            }
        }

        {
            using var baseline = new BridgedCallBenchmarks { SpeakingTracks = 1 };
            baseline.Setup();
            TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < 1_000_000; i++)
            {
                baseline.G711Relay();
            }

            double perFrame = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / 1_000_000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline G.711 decode + encode: {perFrame:F2} us/frame"));
        }

        {
            // A room of four speaking callers: a subscription per call, one shared room audio, and the callers mixed from their rings.
            using var room = new RoomOfCallsBenchmarks();
            room.Setup();
            foreach ((string name, Func<byte> frame) in new (string, Func<byte>)[]
            {
                ("room of 4, a subscription per call", room.OwnSubscriptionPerCall),
                ("room of 4, shared room audio", room.SharedRoomAudio),
                ("room of 4, callers mixed in the bridge", room.LocalCallers),
            })
            {
                for (int i = 0; i < 200; i++)
                {
                    frame();
                }

                double best = double.MaxValue;
                for (int round = 0; round < 3; round++)
                {
                    TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                    for (int i = 0; i < Frames / 4; i++)
                    {
                        frame();
                    }

                    best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / (Frames / 4) / 4);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {best:F1} us CPU per call and frame, {20_000 / best:F0} calls per core"));
            }
        }
    }
}
