using System.Globalization;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>The figures of one call count: what changed between the window's two snapshots.</summary>
internal sealed record RunResult
{
    public int Calls { get; init; }
    public int Rooms { get; init; }
    public int InRooms { get; init; }
    public int Held { get; init; }
    public int HeldClean { get; init; }

    /// <summary>
    /// Held calls whose audio had no gap either way: no underrun in the mix, no short source frame, no
    /// dropped Opus packet, no skipped phone frame. Unlike <see cref="HeldClean"/> it allows late ticks, whose
    /// frames still all went out (in one burst, which the phone's jitter buffer takes).
    /// </summary>
    public int HeldWithoutGaps { get; init; }
    public double BridgeCores { get; init; }
    public double JanusCores { get; init; }
    public long TrackUnderruns { get; init; }
    public long CallerUnderruns { get; init; }

    /// <summary>Decoded 20 ms frames (tracks and rings) skipped because more than the queue bound waited: a burst after a stall.</summary>
    public long MixFramesDropped { get; init; }

    /// <summary>Decoded 20 ms frames taken out of standing backlogs (what a burst left queued for a whole second).</summary>
    public long BacklogFramesDropped { get; init; }

    /// <summary>Mean delay the mix's queues (tracks and rings) added to what the callers heard.</summary>
    public double MixQueueMs { get; init; }
    public long LateTicks { get; init; }
    public long SourceShort { get; init; }
    public long OpusDropped { get; init; }
    public long Skipped { get; init; }
    public long Concealed { get; init; }
    public double BacklogMs { get; init; }

    /// <summary>Bridge CPU per 20 ms frame actually bridged (all calls): comparable across runs however starved the process was.</summary>
    public double MicrosecondsPerFrame { get; init; }
    public required double[] Up { get; init; }
    public required double[] Down { get; init; }
    public required string Load { get; init; }
    public double InRoomsAfterSeconds { get; init; }
    public int MarkerExit { get; init; }
    public int SpeechExit { get; init; }
    public int Started { get; init; }
    public double Window { get; init; }

    public static RunResult From(int calls, int rooms, double window, Dictionary<DialInCall, CallCounters> before, Dictionary<DialInCall, CallCounters> after,
        double bridgeCores, double janusCores, string load, double inRoomsAfter, double[] up, double[] down, int markerExit, int speechExit, int started)
    {
        double expected = window * 50 * 0.9;
        // The caller's Opus packets carry one or more 20 ms frames each (the bridge's default packet duration).
        double expectedOpus = window * 1000.0 / new PhoneConferenceAudioOptions().OpusPacketMilliseconds * 0.9;
        int held = 0, clean = 0, gapless = 0;
        long track = 0, callers = 0, mixDropped = 0, backlogDropped = 0, mixQueued = 0, mixQueueFrames = 0, late = 0, shortFrames = 0, dropped = 0, skipped = 0, concealed = 0, backlog = 0, played = 0;
        foreach (var (call, a) in after)
        {
            if (!before.TryGetValue(call, out var b))
            {
                continue;
            }

            long callTrack = a.Conference.TrackUnderruns - b.Conference.TrackUnderruns;
            long callCallers = a.Conference.CallerUnderruns - b.Conference.CallerUnderruns;
            long callLate = a.Rtp.LateTicks - b.Rtp.LateTicks;
            long callShort = a.Rtp.SourceShortFrames - b.Rtp.SourceShortFrames;
            long callDropped = a.Conference.OpusPacketsDropped - b.Conference.OpusPacketsDropped;
            long callSkipped = a.Rtp.FramesSkipped - b.Rtp.FramesSkipped;
            track += callTrack;
            callers += callCallers;
            mixDropped += a.Conference.ConferenceSamplesDropped - b.Conference.ConferenceSamplesDropped;
            backlogDropped += a.Conference.ConferenceBacklogSamplesDropped - b.Conference.ConferenceBacklogSamplesDropped;
            mixQueued += a.Conference.MixQueueSamples - b.Conference.MixQueueSamples;
            mixQueueFrames += a.Conference.MixQueueFrames - b.Conference.MixQueueFrames;
            late += callLate;
            shortFrames += callShort;
            dropped += callDropped;
            skipped += callSkipped;
            concealed += a.Rtp.FramesConcealed - b.Rtp.FramesConcealed;
            backlog += a.Rtp.PlayoutBacklogSamples - b.Rtp.PlayoutBacklogSamples;
            played += a.Rtp.FramesPlayed - b.Rtp.FramesPlayed;
            bool flowing = a.Rtp.PacketsReceived - b.Rtp.PacketsReceived >= expected
                && a.Rtp.PacketsSent - b.Rtp.PacketsSent >= expected
                && a.Conference.OpusPacketsEncoded - b.Conference.OpusPacketsEncoded >= expectedOpus
                && a.Conference.MixedFrames - b.Conference.MixedFrames >= expected;
            if (flowing)
            {
                held++;
                if (callTrack + callCallers + callLate + callShort + callDropped + callSkipped == 0)
                {
                    clean++;
                }

                if (callTrack + callCallers + callShort + callDropped + callSkipped == 0)
                {
                    gapless++;
                }
            }
        }

        return new RunResult
        {
            Calls = calls, Rooms = rooms, InRooms = before.Count, Held = held, HeldClean = clean, HeldWithoutGaps = gapless, BridgeCores = bridgeCores, JanusCores = janusCores,
            TrackUnderruns = track, CallerUnderruns = callers, MixFramesDropped = mixDropped / PhoneConferenceAudio.FrameSamples,
            BacklogFramesDropped = backlogDropped / PhoneConferenceAudio.FrameSamples, MixQueueMs = mixQueueFrames == 0 ? 0 : mixQueued / (double)mixQueueFrames / 8, LateTicks = late, SourceShort = shortFrames, OpusDropped = dropped, Skipped = skipped, Concealed = concealed,
            BacklogMs = played == 0 ? 0 : backlog / (double)played / 8,
            MicrosecondsPerFrame = played == 0 ? 0 : bridgeCores * window * 1e6 / played,
            Up = up, Down = down, Load = load, InRoomsAfterSeconds = inRoomsAfter, MarkerExit = markerExit, SpeechExit = speechExit, Started = started, Window = window,
        };
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Calls} | {Rooms} | {InRooms} | {Held} | {HeldClean} | {HeldWithoutGaps} | {BridgeCores:F2} | {100 * BridgeCores / Math.Max(1, InRooms):F2} | {MicrosecondsPerFrame:F0} | {2 * 20_000 / Math.Max(1, MicrosecondsPerFrame):F0} | {JanusCores:F2} | {TrackUnderruns} / {CallerUnderruns} | {LateTicks} | {SourceShort} | {OpusDropped} | {Concealed} | {Quantiles(Up)} | {Quantiles(Down)} | {BacklogMs:F1} | {Load} | {MarkerExit}/{SpeechExit} |");

    public string Detail() => string.Create(CultureInfo.InvariantCulture,
        $"{Calls} calls: {Started} dial-ins started, {InRooms} in rooms after {InRoomsAfterSeconds:F1} s; window {Window:F1} s: held {Held}, without bridge underruns {HeldClean}, without audio gaps {HeldWithoutGaps}; " +
        $"bridge {BridgeCores:F2} cores, Janus {JanusCores:F2} cores; frames skipped {Skipped}; frames dropped over the mix queue bound {MixFramesDropped}; frames taken out of standing backlogs {BacklogFramesDropped}; mix queues {MixQueueMs:F1} ms mean; phone playout queue {BacklogMs:F1} ms mean; load {Load}");

    private static string Quantiles(double[] values)
    {
        if (values.Length == 0)
        {
            return "- (0)";
        }

        var sorted = values.Order().ToArray();
        double median = sorted[sorted.Length / 2];
        double p95 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.95) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{median:F1} / {p95:F1} ({sorted.Length})");
    }
}
