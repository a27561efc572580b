using System.Globalization;
using Callbridge.Conference;
using Callbridge.Gateways;
using Callbridge.Gateways.Recording;
using Callbridge.Storage.Local;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;
using Microsoft.Extensions.Options;

// Usage: CrashHost <spool folder> <blob folder> <gateway id> <opus.ogg> <vp8.ivf>
// Records one participant's audio and video, sent in real time (the clip looped), until killed. Prints
// "sent <seconds>" every 100 ms: the media time of the last frame handed to the gateway.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: CrashHost <spool folder> <blob folder> <gateway id> <opus.ogg> <vp8.ivf>");
    return 2;
}

List<byte[]> audio = MediaContainers.ReadOggPackets(File.ReadAllBytes(args[3]));
List<ContainerFrame> video = MediaContainers.ReadIvfFrames(File.ReadAllBytes(args[4]));
TimeSpan clipLength = TimeSpan.FromMilliseconds(20 * audio.Count);

var conference = new ScriptedConference("4242");
var options = new RecordingOptions { SpoolFolder = args[0], UploadInterval = TimeSpan.FromMilliseconds(500), UploadBlockSize = BlockSize };
var factory = new RecordingGatewayFactory(conference, new LocalFolderBlobSink(args[1]), Options.Create(options));
IGateway gateway = await factory.StartAsync(new GatewayLaunch("acme", "4242", args[2], null, new SilentObserver()), CancellationToken.None);
ScriptedConferenceSession session = conference.Sessions[^1];
session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
Console.WriteLine("started");

// Frames of the clip in time order, looped: (media time, track, data, key).
IEnumerable<(TimeSpan At, bool Video, byte[] Data, bool Key)> Clip(int loop)
{
    TimeSpan shift = clipLength * loop;
    return audio.Select((p, i) => (shift + TimeSpan.FromMilliseconds(20 * i), false, p, true))
        .Concat(video.Select(f => (shift + f.Timestamp, true, f.Data, (f.Data[0] & 1) == 0)))
        .OrderBy(f => f.Item1);
}

DateTimeOffset senderBase = DateTimeOffset.UtcNow;
long start = TimeProvider.System.GetTimestamp();
TimeSpan lastPrinted = TimeSpan.Zero;
for (int loop = 0; ; loop++)
{
    foreach (var (at, isVideo, data, key) in Clip(loop))
    {
        TimeSpan wait = at - TimeProvider.System.GetElapsedTime(start);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        uint rtp = unchecked((uint)(at.TotalSeconds * (isVideo ? 90000 : 48000)));
        session.Deliver(isVideo ? "alice/v" : "alice/a", data, rtp, key, senderTime: senderBase + at, ssrc: isVideo ? 2u : 1u);
        if (at - lastPrinted >= TimeSpan.FromMilliseconds(100))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {at.TotalSeconds:0.000}"));
            lastPrinted = at;
        }
    }
}

internal static partial class Program
{
    /// <summary>Small blocks (the tests use the same size) so seconds of a quiet clip already fill some.</summary>
    public const int BlockSize = 16 * 1024;
}

internal sealed class SilentObserver : IGatewayObserver
{
    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }
    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }
    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) { }
    public void OnCaption(IGateway gateway, CaptionUpdate caption) { }
    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
}
