using System.Diagnostics;
using System.Globalization;
using System.Net;
using Callbridge.Audio.Opus;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// <c>stand-ins JANUS_HTTP_URI INTERFACE ADDRESS ROOM[:silent]...</c>: one publisher per room standing in for a
/// browser participant, each sending 20 ms Opus packets coded at 48 kHz (the prompts' speech, looped; or
/// silence) until stdin closes. The load bench starts it as a process of its own, so that what a browser's
/// track costs the bridge (receiving and decoding it) is measured in the bridge, and the stand-ins' own sending
/// is not.
/// </summary>
/// <remarks>
/// A room of phone callers alone would be mixed wholly in the bridge (the callers hear each other there), and
/// Janus would send the bridge nothing: a meeting has other participants, and this is the one each room gets.
/// </remarks>
internal static class StandIns
{
    /// <summary>A browser's usual Opus: 48 kHz, 20 ms packets, about 32 kbit/s.</summary>
    private const int SampleRate = 48000;

    private const int FrameSamples = SampleRate / 50;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 5)
        {
            Console.Error.WriteLine("usage: stand-ins JANUS_HTTP_URI INTERFACE ADDRESS ROOM[:silent]...");
            return 2;
        }

        var janus = new Uri(args[1]);
        string iface = args[2];
        IPAddress address = IPAddress.Parse(args[3]);
        (string Room, bool Silent)[] rooms = [.. args[4..].Select(a => a.EndsWith(":silent", StringComparison.Ordinal) ? (a[..^7], true) : (a, false))];
        byte[][] speech = EncodeLoop(silent: false);
        byte[][] silence = EncodeLoop(silent: true);

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var connector = new JanusConferenceConnector(http, new JanusConferenceOptions
        {
            JanusUri = janus,
            IceInterfaces = [iface],
            IceAddresses = [address],
            EnableIPv6 = false,
        });

        var sessions = new List<IConferenceSession>();
        var publications = new List<(IConferenceAudioPublication Publication, byte[][] Packets)>();
        try
        {
            foreach (var (room, silent) in rooms)
            {
                IConferenceSession session = await connector.JoinAsync(
                    new ConferenceJoinRequest(room, "Browser stand-in " + room, BotRole.SubscriberAndPublisher), CancellationToken.None).ConfigureAwait(false);
                sessions.Add(session);
                publications.Add((await session.PublishAudioAsync(new AudioPublicationOptions(), CancellationToken.None).ConfigureAwait(false), silent ? silence : speech));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stand-ins publishing in {rooms.Length} rooms"));
            using var stop = new CancellationTokenSource();
            var lateness = new SendLateness();
            // The bench writes "window" as its measuring window opens (the lateness counts start again), "report"
            // as it closes (the counts are printed), and closes stdin to stop the stand-ins.
            _ = Task.Run(async () =>
            {
                while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    if (line == "window")
                    {
                        lateness.RestartRequested = true;
                    }
                    else if (line == "report")
                    {
                        lateness.ReportRequested = true;
                    }
                }

                await stop.CancelAsync().ConfigureAwait(false);
            });

            // Each room's stand-in starts at its own place in the loop, so the rooms do not speak in unison.
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            long frame = 0;
            var started = Stopwatch.StartNew();
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    // Packets by the clock, not by the ticks: a late tick sends what is due, as a browser catches up.
                    double now = started.Elapsed.TotalMilliseconds;
                    long due = (long)(now / 20);
                    if (frame < due)
                    {
                        lateness.Add(now - ((frame + 1) * 20.0));
                    }

                    if (lateness.ReportRequested)
                    {
                        lateness.ReportRequested = false;
                        Console.WriteLine(lateness.Describe());
                    }

                    for (; frame < due; frame++)
                    {
                        for (int i = 0; i < publications.Count; i++)
                        {
                            byte[][] packets = publications[i].Packets;
                            publications[i].Publication.TrySendOpus(packets[(frame + (i * 37)) % packets.Length], FrameSamples);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            foreach (var (publication, _) in publications)
            {
                await publication.DisposeAsync().ConfigureAwait(false);
            }

            foreach (IConferenceSession session in sessions)
            {
                try
                {
                    await session.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (ConferenceException)
                {
                }

                await session.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }

    /// <summary>
    /// How late the stand-ins sent: for each timer tick that had frames due, how long after its due time the oldest
    /// of them went out (a frame is due once its 20 ms are over). The timer's phase alone makes that up to 20 ms;
    /// beyond it the sender stalled. A frame sent 100 ms late reaches every subscriber 100 ms late, whatever the
    /// SFU and the receivers do. Used on the timer loop only; a restart or a report asked from the stdin reader is
    /// taken at the next tick.
    /// </summary>
    private sealed class SendLateness
    {
        private readonly DelayTally _tally = new(40, 60, 100);

        public volatile bool RestartRequested;

        public volatile bool ReportRequested;

        public void Add(double lateMilliseconds)
        {
            if (RestartRequested)
            {
                RestartRequested = false;
                _tally.Reset();
            }

            _tally.Add(lateMilliseconds);
        }

        public string Describe() => "stand-ins' sending in the window: " + _tally.Describe("ticks with frames due", "oldest frame sent late by");
    }

    /// <summary>The prompts' speech (8 kHz, repeated six times per sample up to 48 kHz) or silence, as 20 ms Opus packets.</summary>
    private static byte[][] EncodeLoop(bool silent)
    {
        PhonePrompts prompts = PhonePrompts.LoadDefault();
        short[] speech8k = [.. Enum.GetValues<PhonePrompt>().SelectMany(p => prompts[p].ToArray())];
        int frames = speech8k.Length / (FrameSamples / 6);
        using var encoder = new OpusEncoder(SampleRate, 1, OpusApplication.Voip) { Bitrate = 32000 };
        var pcm = new short[FrameSamples];
        var packet = new byte[1275];
        var packets = new byte[frames][];
        for (int f = 0; f < frames; f++)
        {
            for (int s = 0; s < FrameSamples; s++)
            {
                pcm[s] = silent ? (short)0 : speech8k[(f * (FrameSamples / 6)) + (s / 6)];
            }

            int length = encoder.Encode(pcm, packet);
            packets[f] = packet[..length];
        }

        return packets;
    }
}
