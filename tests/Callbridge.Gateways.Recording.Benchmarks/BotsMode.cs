using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.TestSupport.Media;
using Callbridge.WebRtc;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Publishing bots on the media core: each joins a room and publishes Opus + VP8 from a pre-encoded clip,
/// looped in real time (no encoder). One pacing thread drives every bot.
/// </summary>
internal static class BotsMode
{
    public static async Task<int> MainAsync(Arguments args)
    {
        var janus = new Uri(args.Get("janus"));
        IReadOnlyList<string> rooms = args.GetList("rooms");
        int perRoom = args.GetInt("per-room", 10);
        int total = args.GetInt("count", rooms.Count * perRoom);
        PreEncodedClip clip = await PreEncodedClip.CreateAsync(args.Get("clip"));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        // The bots never read the room policy: poll it rarely, so 100 bots do not flood Janus with 'list'.
        // The pacing thread packetizes, protects and sends each frame itself: no queue hop per frame.
        var connector = new JanusConferenceConnector(http, BenchJanus.Options(janus, TimeSpan.FromMinutes(10), sendOnCallerThread: true));

        var players = new List<ClipPublisher>();
        var lockPlayers = new Lock();
        using var joining = new SemaphoreSlim(8);
        int failures = 0;
        await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            string room = rooms[i / perRoom];
            await joining.WaitAsync();
            try
            {
                IConferenceSession session = await connector.JoinAsync(
                    new ConferenceJoinRequest(room, string.Create(CultureInfo.InvariantCulture, $"bot-{i}"), BotRole.SubscriberAndPublisher), CancellationToken.None);
                IConferencePublication publication = await session.PublishAsync(new PublicationOptions(), CancellationToken.None);
                lock (lockPlayers) players.Add(new ClipPublisher(clip, publication, Stopwatch.GetTimestamp(), Stopwatch.Frequency));
            }
            catch (ConferenceException e)
            {
                Interlocked.Increment(ref failures);
                await Console.Error.WriteLineAsync($"bot {i} in room {room}: {e.Message}");
            }
            finally
            {
                joining.Release();
            }
        }));

        using var stop = new CancellationTokenSource();
        var pacing = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long now = Stopwatch.GetTimestamp();
                ClipPublisher[] snapshot;
                lock (lockPlayers) snapshot = [.. players];
                foreach (ClipPublisher player in snapshot) player.Pace(now);
                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "bot pacing" };
        pacing.Start();
        Console.WriteLine($"ready {players.Count} {failures}");
        Console.WriteLine(FormattableString.Invariant($"clip video {clip.VideoBitsPerSecond / 1000:F0} kbit/s, audio {clip.AudioBitsPerSecond / 1000:F0} kbit/s, {clip.FramesPerSecond} fps, {clip.Video.Count} frames"));

        while (Console.ReadLine() is { } command)
        {
            if (command != "stop" || stop.IsCancellationRequested) continue;
            await stop.CancelAsync();
            pacing.Join();
            PeerConnection?[] connections = [.. players.Select(p => MediaCoreCounters.ConnectionOf(p.Publication))];
            PeerConnectionStatistics[] rtp = [.. connections.Select(c => c?.Statistics ?? default)];
            var report = new BotsReport(players.Count, players.Sum(p => p.AudioSent), players.Sum(p => p.VideoSent), players.Sum(p => p.AudioRefused),
                players.Sum(p => p.VideoRefused), players.Sum(p => p.Publication.KeyFrameRequests), players.Sum(p => p.Restarts), players.Sum(p => p.KeyFramesSent), players.Sum(p => p.Publication.VideoFramesSent),
                rtp.Sum(s => s.RtpSent), rtp.Sum(s => s.Retransmitted), rtp.Sum(s => s.NacksReceived), connections.Count(c => c is null));
            Console.WriteLine("final " + JsonSerializer.Serialize(report));
            // The bots stay joined, quiet, until the bench ends them: Janus's counters of their handles are read after this.
        }

        return 0;
    }
}
