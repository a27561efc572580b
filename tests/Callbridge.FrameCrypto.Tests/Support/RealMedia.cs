using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>
/// Real Opus and VP8 frames: encoded by ffmpeg (libopus into Ogg, libvpx into IVF) once per test run and
/// split with minimal container parsers.
/// </summary>
internal static class RealMedia
{
    private static readonly Lazy<IReadOnlyList<byte[]>> OpusFrames = new(() => ReadOgg(Encode("opus.ogg",
        ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4", "-f", "lavfi", "-i", "anoisesrc=d=4:c=pink:r=48000:a=0.2:seed=7",
         "-filter_complex", "[0][1]amix=inputs=2[a]", "-map", "[a]", "-c:a", "libopus", "-b:a", "48k", "-application", "voip"])));

    private static readonly Lazy<IReadOnlyList<byte[]>> OpusMusicFrames = new(() => ReadOgg(Encode("opus-celt.ogg",
        ["-f", "lavfi", "-i", "anoisesrc=d=3:c=white:r=48000:a=0.5:seed=11", "-ac", "2", "-c:a", "libopus", "-b:a", "128k", "-application", "lowdelay", "-frame_duration", "10"])));

    private static readonly Lazy<IReadOnlyList<byte[]>> Vp8Frames = new(() => ReadIvf(Encode("vp8.ivf",
        ["-f", "lavfi", "-i", "testsrc2=size=176x144:rate=30:duration=4", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-g", "30", "-f", "ivf"])));

    public static IReadOnlyList<byte[]> Opus => OpusFrames.Value;

    public static IReadOnlyList<byte[]> OpusCelt => OpusMusicFrames.Value;

    public static IReadOnlyList<byte[]> Vp8 => Vp8Frames.Value;

    private static string Encode(string name, string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), "callbridge-framecrypto-media-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var output = Path.Combine(dir, name);
        var (code, _, stderr) = ExternalTool.Run("ffmpeg", "ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, output], stdin: null);
        if (code != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({code}): {stderr}");
        }

        return output;
    }

    private static List<byte[]> ReadOgg(string path) => MediaContainers.ReadOggPackets(File.ReadAllBytes(path));

    private static List<byte[]> ReadIvf(string path) => MediaContainers.ReadIvfFrames(File.ReadAllBytes(path)).Select(f => f.Data).ToList();
}
