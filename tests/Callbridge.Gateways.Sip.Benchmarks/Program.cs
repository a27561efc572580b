using System.Globalization;
using Callbridge.Audio.Opus;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// <c>load [--room N] [--rate R] [--window S] [--clock shared|timer] [--send loop|clock] [--janus-loops N] [--encoder low-delay|voip] [--no-stand-ins] [counts...]</c>: the SIP bridge under sipp load with an embedded
/// Janus (inside scripts/test-in-netns.sh; scripts/bench-sip.sh builds and runs it). <c>calibrate</c>: the
/// onset detectors on the bridge's audio path alone (no network), which shows the codec path's own delay.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "calibrate")
        {
            return Calibration.Run();
        }

        if (args.Length > 0 && args[0] == "stand-ins")
        {
            return await StandIns.RunAsync(args).ConfigureAwait(false);
        }

        if (args.Length == 0 || args[0] != "load")
        {
            // scripts/bench.sh passes BenchmarkDotNet arguments to every bench project: this one has none to run.
            Console.WriteLine("usage: load [--room 4] [--rate 10] [--window 15] [--clock shared|timer] [--send loop|clock] [--janus-loops N] [--encoder low-delay|voip] [--no-stand-ins] [counts, default 4 48 100 200] (inside scripts/test-in-netns.sh; see scripts/bench-sip.sh)");
            return args.Length == 0 ? 2 : 0;
        }

        int room = 4, window = 15;
        double rate = 10;
        string clock = "shared";
        bool sendOnClock = false;
        int janusLoops = 0;
        bool standIns = true;
        var audio = new PhoneConferenceAudioOptions();
        var counts = new List<int>();
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--room": room = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--window": window = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--clock": clock = args[++i] is "timer" or "shared" ? args[i] : throw new ArgumentException("--clock is shared or timer"); break;
                // Who sends a call's Opus: the connection's loop, or the media clock's thread that encoded it.
                case "--send": sendOnClock = args[++i] switch { "clock" => true, "loop" => false, _ => throw new ArgumentException("--send is loop or clock") }; break;
                // Janus's shared media threads (event_loops); 0 keeps its default of a thread per handle.
                case "--janus-loops": janusLoops = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                // The caller's Opus encoder: the default (CELT alone, complexity 0), or SILK at complexity 1 as before it.
                case "--encoder": audio = args[++i] switch
                {
                    "low-delay" => new PhoneConferenceAudioOptions(),
                    "voip" => new PhoneConferenceAudioOptions { OpusApplication = OpusApplication.Voip, OpusComplexity = 1 },
                    _ => throw new ArgumentException("--encoder is low-delay or voip"),
                }; break;
                // Rooms of phone callers only: then the SFU sends the bridge nothing, as the callers hear each other in it.
                case "--no-stand-ins": standIns = false; break;
                default: counts.Add(int.Parse(args[i], CultureInfo.InvariantCulture)); break;
            }
        }

        if (counts.Count == 0)
        {
            counts.AddRange([4, 48, 100, 200]);
        }

        return await LoadBench.RunAsync(new LoadSettings(counts, room, rate, window, clock, sendOnClock, janusLoops, audio, standIns)).ConfigureAwait(false);
    }
}
