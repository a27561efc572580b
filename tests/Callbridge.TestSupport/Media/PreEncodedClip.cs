using System.Globalization;

namespace Callbridge.TestSupport.Media;

/// <summary>
/// A pre-encoded audio/video clip for publishing bots: Opus 20 ms packets (from Ogg) and VP8 frames (from
/// IVF), both made by ffmpeg from its moving test pattern and a tone. Frame 0 of the video is a key frame,
/// so looping the clip (or restarting it on a key frame request) always restarts on a decodable frame.
/// </summary>
public sealed class PreEncodedClip
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private PreEncodedClip(IReadOnlyList<byte[]> opus, IReadOnlyList<byte[]> video, int fps)
    {
        Opus = opus;
        Video = video;
        FramesPerSecond = fps;
    }

    public IReadOnlyList<byte[]> Opus { get; }

    public IReadOnlyList<byte[]> Video { get; }

    public int FramesPerSecond { get; }

    /// <summary>One video frame's duration at the 90 kHz RTP clock.</summary>
    public int VideoFrameDuration90k => 90000 / FramesPerSecond;

    /// <summary>Average video bitrate of the clip, in bit/s.</summary>
    public double VideoBitsPerSecond => Video.Sum(f => (double)f.Length) * 8 * FramesPerSecond / Math.Max(1, Video.Count);

    public double AudioBitsPerSecond => Opus.Sum(f => (double)f.Length) * 8 * 50 / Math.Max(1, Opus.Count);

    /// <summary>Index of every VP8 key frame (RFC 6386 §9.1: bit 0 of the first byte is 0).</summary>
    public IReadOnlyList<int> KeyFrames => Enumerable.Range(0, Video.Count).Where(i => (Video[i][0] & 1) == 0).ToArray();

    /// <summary>Encodes the clip (or reads it back when <paramref name="folder"/> already holds one with these settings).</summary>
    /// <param name="videoKbps">Constant video bitrate; libvpx realtime CBR keeps each second near it.</param>
    /// <param name="keyFrameSeconds">Key frame interval, like a WebRTC sender's periodic key frames.</param>
    public static async Task<PreEncodedClip> CreateAsync(string folder, int seconds = 10, int width = 640, int height = 360, int fps = 30,
        int videoKbps = 500, int audioKbps = 32, int keyFrameSeconds = 3)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"clip-{seconds}s-{width}x{height}-{fps}fps-{videoKbps}k-{audioKbps}k-g{keyFrameSeconds}");
        string ogg = Path.Combine(folder, name + ".ogg");
        string ivf = Path.Combine(folder, name + ".ivf");
        if (!File.Exists(ogg))
        {
            await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                FormattableString.Invariant($"sine=frequency=440:sample_rate=48000:duration={seconds}"),
                "-c:a", "libopus", "-frame_duration", "20", "-b:a", FormattableString.Invariant($"{audioKbps}k"), ogg + ".tmp.ogg"], Timeout).ConfigureAwait(false);
            File.Move(ogg + ".tmp.ogg", ogg, overwrite: true);
        }

        if (!File.Exists(ivf))
        {
            string rate = FormattableString.Invariant($"{videoKbps}k");
            await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                FormattableString.Invariant($"testsrc2=s={width}x{height}:r={fps}:d={seconds}"),
                "-c:v", "libvpx", "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate,
                "-g", (fps * keyFrameSeconds).ToString(CultureInfo.InvariantCulture), "-auto-alt-ref", "0", "-deadline", "realtime", "-cpu-used", "8",
                "-f", "ivf", ivf + ".tmp.ivf"], Timeout).ConfigureAwait(false);
            File.Move(ivf + ".tmp.ivf", ivf, overwrite: true);
        }

        List<byte[]> opus = MediaContainers.ReadOggPackets(await File.ReadAllBytesAsync(ogg).ConfigureAwait(false));
        List<byte[]> video = MediaContainers.ReadIvfFrames(await File.ReadAllBytesAsync(ivf).ConfigureAwait(false)).Select(f => f.Data).ToList();
        if (video.Count == 0 || (video[0][0] & 1) != 0) throw new InvalidDataException("the VP8 clip does not start with a key frame");
        return new PreEncodedClip(opus, video, fps);
    }
}
