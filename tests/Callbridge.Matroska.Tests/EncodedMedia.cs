using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Matroska.Tests;

/// <summary>Real VP8 and Opus frames made by ffmpeg (libvpx, libopus), read out of IVF and Ogg.</summary>
internal static class EncodedMedia
{
    public sealed record Frame(byte[] Data, TimeSpan Timestamp, bool KeyFrame);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>VP8 at 15 fps with a key frame every <paramref name="gop"/> frames.</summary>
    public static async Task<List<Frame>> Vp8Async(string folder, int seconds, int gop = 15)
    {
        string ivf = Path.Combine(folder, $"vp8-{seconds}s-{gop}.ivf");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size=320x240:rate=15:duration={seconds}",
            "-c:v", "libvpx", "-b:v", "300k", "-g", gop.ToString(), "-auto-alt-ref", "0", "-f", "ivf", ivf], Timeout);
        return MediaContainers.ReadIvfFrames(await File.ReadAllBytesAsync(ivf))
            .Select(f => new Frame(f.Data, f.Timestamp, (f.Data[0] & 1) == 0)).ToList();
    }

    /// <summary>Opus packets of 20 ms (a 440 Hz tone), as WebRTC sends them.</summary>
    public static async Task<List<Frame>> OpusAsync(string folder, int seconds)
    {
        string ogg = Path.Combine(folder, $"opus-{seconds}s.ogg");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:a", "libopus", "-frame_duration", "20", "-b:a", "32k", ogg], Timeout);
        return MediaContainers.ReadOggPackets(await File.ReadAllBytesAsync(ogg)).Select((p, i) => new Frame(p, TimeSpan.FromMilliseconds(20 * i), true)).ToList();
    }
}
