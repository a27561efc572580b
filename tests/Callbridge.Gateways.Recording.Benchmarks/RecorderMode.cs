using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.Matroska;
using Callbridge.Storage.Local;
using Callbridge.TestSupport;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// The recorder under test, alone in its process so its CPU time is its own: one recording gateway per room
/// (mode "record", spooling to a local folder and uploading to a local blob folder as in production), or the
/// same subscriptions with frames counted and dropped (mode "discard": the media core's share).
/// </summary>
internal static class RecorderMode
{
    /// <summary>The display names the two receivers join with: how the bench finds their handles in Janus's admin API.</summary>
    public const string RecorderName = "bench-recorder", BaselineName = "bench-baseline";

    public static async Task<int> MainAsync(Arguments args)
    {
        var janus = new Uri(args.Get("janus"));
        IReadOnlyList<string> rooms = args.GetList("rooms");
        bool record = args.Get("mode") == "record";
        string folder = args.Get("spool");
        int audioStep = args.GetInt("audio-step", 960);
        int videoStep = args.GetInt("video-step", 3000);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var connector = new CountingConnector(new JanusConferenceConnector(http, BenchJanus.Options(janus)));

        var gateways = new List<IGateway>();
        var sessions = new List<IConferenceSession>();
        string spool = Path.Combine(folder, "spool");
        foreach (string room in rooms)
        {
            if (record)
            {
                var options = new RecordingOptions { SpoolFolder = spool, Composite = false, KeepSpool = true, DisplayName = RecorderName };
                var factory = new RecordingGatewayFactory(connector, new LocalFolderBlobSink(Path.Combine(folder, "blobs")), Options.Create(options));
                gateways.Add(await factory.StartAsync(new GatewayLaunch("bench", room, "rec-" + room, null, new SilentObserver()), CancellationToken.None));
            }
            else
            {
                // The connector wraps the sink in the same counting sink the recorder gets; behind it, nothing.
                IConferenceSession session = await connector.JoinAsync(new ConferenceJoinRequest(room, BaselineName, BotRole.Subscriber), CancellationToken.None);
                sessions.Add(session);
                await session.SubscribeAsync(new SubscriptionRequest(), DiscardSink.Instance, CancellationToken.None);
            }
        }

        Console.WriteLine("ready");
        while (Console.ReadLine() is { } command)
        {
            TrackCount[] tracks = [.. connector.Sinks.SelectMany(s => s.Tracks)];
            if (command == "stats")
            {
                Console.WriteLine("stats " + JsonSerializer.Serialize(new RecorderReport(tracks.Count(t => t.Frames > 0), tracks.Sum(t => t.AllFrames), [])));
            }
            else if (command == "stop")
            {
                // Before the gateways stop: stopping unsubscribes, which closes the connections the counters live on.
                MediaCoreCounters media = await MediaCoreCounters.ReadAsync(connector.Subscriptions);
                string counters = "{}";
                if (record)
                {
                    // Seal the recordings: each track's last frame (held until the next proves it clear) is written,
                    // and spool.json gets the writer's own counters. Finishing (remux, upload) is not measured.
                    await Task.WhenAll(gateways.Select(g => g.StopAsync(CancellationToken.None)));
                    counters = SumCounters(spool);
                }

                var perTrack = tracks.Select(t => new TrackReport(t.TrackId, t.IsVideo, t.Frames, t.Expected(t.IsVideo ? videoStep : audioStep), t.AfterLoss,
                    record ? WrittenFrames(spool, rooms, t) : -1)).ToList();
                Console.WriteLine("final " + JsonSerializer.Serialize(new RecorderReport(perTrack.Count, tracks.Sum(t => t.AllFrames), perTrack, media)));
                Console.WriteLine("counters " + counters);
                break;
            }
        }

        // The bench measures the per-frame path; finishing the recordings (remux, upload) is not part of it.
        return 0;
    }

    /// <summary>The writer's counters of every sealed spool.json under <paramref name="spool"/>, summed by name.</summary>
    private static string SumCounters(string spool)
    {
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (string state in Directory.EnumerateFiles(spool, "spool.json", SearchOption.AllDirectories))
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(state));
            foreach (JsonElement track in doc.RootElement.GetProperty("tracks").EnumerateArray())
            {
                if (track.GetProperty("counters") is not { ValueKind: JsonValueKind.Object } counters) continue;
                foreach (JsonProperty p in counters.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
                    sums[p.Name] = sums.GetValueOrDefault(p.Name) + p.Value.GetInt64();
            }

            if (doc.RootElement.GetProperty("end") is { ValueKind: JsonValueKind.Object } end)
                sums["frames_lost_in_queue"] = sums.GetValueOrDefault("frames_lost_in_queue") + end.GetProperty("frames_lost_in_queue").GetInt64();
        }

        return JsonSerializer.Serialize(sums);
    }

    /// <summary>Frames in the track's spool file, read back from its clusters as crash recovery would.</summary>
    private static long WrittenFrames(string spool, IReadOnlyList<string> rooms, TrackCount track)
    {
        string suffix = $"-{track.ParticipantId}-{(track.IsVideo ? "video" : "audio")}.webm";
        foreach (string room in rooms)
        {
            string dir = Path.Combine(spool, "rec-" + room);
            if (!Directory.Exists(dir)) continue;
            string? file = Directory.EnumerateFiles(dir, "*.webm").FirstOrDefault(f => f.EndsWith(suffix, StringComparison.Ordinal));
            if (file is not null) return WebmSpoolSummary.Read(file)?.Frames ?? 0;
        }

        return 0;
    }
}

internal sealed class DiscardSink : IConferenceMediaSink
{
    public static readonly DiscardSink Instance = new();
    public void OnFrame(in ConferenceFrame frame) { }
    public void OnTrackStarted(PublishedTrack track) { }
    public void OnTrackEnded(PublishedTrack track, string reason) { }
    public void OnTrackEncrypted(PublishedTrack track, string format) { }
}

internal sealed class SilentObserver : IGatewayObserver
{
    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }
    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }
    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) { }
    public void OnCaption(IGateway gateway, CaptionUpdate caption) { }
    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
}

internal static class BenchJanus
{
    public static JanusConferenceOptions Options(Uri janus, TimeSpan? policyPoll = null, bool sendOnCallerThread = false) => new()
    {
        SendOnCallerThread = sendOnCallerThread,
        JanusUri = janus,
        IceInterfaces = [TestEnvironment.TestInterface],
        IceAddresses = [TestEnvironment.TestIp],
        EnableIPv6 = false,
        PolicyPollInterval = policyPoll ?? TimeSpan.FromSeconds(5),
        MediaConnectTimeout = TimeSpan.FromSeconds(60),
    };
}
