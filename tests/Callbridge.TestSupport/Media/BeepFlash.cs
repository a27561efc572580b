using System.Globalization;

namespace Callbridge.TestSupport.Media;

/// <summary>
/// A beep-and-flash clip for audio/video sync proofs: a 1 kHz beep and an all-white picture at the same
/// instants, otherwise silence and black. Encoded by ffmpeg as WebRTC sends them (Opus 20 ms in Ogg, VP8 in IVF),
/// and the onsets found again in any decoded file.
/// </summary>
public static class BeepFlash
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>How long each beep and flash lasts.</summary>
    public static readonly TimeSpan MarkLength = TimeSpan.FromMilliseconds(200);

    /// <summary>Writes the clip; returns the Ogg (Opus) and IVF (VP8) paths.</summary>
    public static async Task<(string Ogg, string Ivf)> WriteAsync(string folder, int seconds, IReadOnlyList<TimeSpan> marks, int width = 320, int height = 240, int fps = 15)
    {
        ArgumentNullException.ThrowIfNull(marks);
        string when = string.Join('+', marks.Select(m => FormattableString.Invariant($"between(t,{m.TotalSeconds:0.000},{(m + MarkLength).TotalSeconds - 0.001:0.000})")));
        string name = "beepflash-" + Guid.NewGuid().ToString("N")[..8];
        string ogg = Path.Combine(folder, name + ".ogg");
        string ivf = Path.Combine(folder, name + ".ivf");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            FormattableString.Invariant($"sine=frequency=1000:sample_rate=48000:duration={seconds}"),
            "-af", $"volume=volume=0:enable='not({when})'", "-c:a", "libopus", "-frame_duration", "20", "-b:a", "48k", ogg], Timeout).ConfigureAwait(false);
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            FormattableString.Invariant($"color=c=black:s={width}x{height}:r={fps}:d={seconds}"),
            "-vf", $"drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='{when}'",
            "-c:v", "libvpx", "-b:v", "300k", "-g", fps.ToString(CultureInfo.InvariantCulture), "-auto-alt-ref", "0", "-deadline", "realtime", "-f", "ivf", ivf], Timeout).ConfigureAwait(false);
        return (ogg, ivf);
    }

    /// <summary>Times (from the start of the decoded stream) where the first audio stream turns loud.</summary>
    public static async Task<IReadOnlyList<TimeSpan>> AudioOnsetsAsync(string path, string folder)
    {
        string raw = Path.Combine(folder, "onsets-" + Guid.NewGuid().ToString("N")[..8] + ".f32");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", path, "-map", "0:a:0",
            "-af", "aresample=48000:async=1:first_pts=0", "-ac", "1", "-ar", "48000", "-f", "f32le", raw], Timeout).ConfigureAwait(false);
        float[] samples = ReadFloats(raw);
        double[] envelope = AudioCompare.EnergyEnvelope(samples, 48000, windowMs: 5);
        double peak = envelope.DefaultIfEmpty(0).Max();
        return Onsets(envelope, peak / 4, TimeSpan.FromMilliseconds(5));
    }

    /// <summary>
    /// Times where the picture inside a region (canvas pixels; whole picture when null) turns bright. The
    /// video is resampled to 200 frames per second, so a time is exact to 5 ms plus the source frame's own step.
    /// </summary>
    public static async Task<IReadOnlyList<TimeSpan>> FlashOnsetsAsync(string path, string folder, (int X, int Y, int Width, int Height)? region = null)
    {
        string raw = Path.Combine(folder, "flashes-" + Guid.NewGuid().ToString("N")[..8] + ".gray");
        string crop = region is { } r ? FormattableString.Invariant($"crop={r.Width}:{r.Height}:{r.X}:{r.Y},") : string.Empty;
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", path, "-map", "0:v:0",
            "-vf", $"{crop}scale=8:8,format=gray,fps=fps=200:start_time=0", "-f", "rawvideo", raw], Timeout).ConfigureAwait(false);
        byte[] pixels = await File.ReadAllBytesAsync(raw).ConfigureAwait(false);
        var brightness = new double[pixels.Length / 64];
        for (int i = 0; i < brightness.Length; i++)
        {
            double sum = 0;
            for (int p = 0; p < 64; p++) sum += pixels[i * 64 + p];
            brightness[i] = sum / 64;
        }
        return Onsets(brightness, 128, TimeSpan.FromMilliseconds(5));
    }

    private static List<TimeSpan> Onsets(double[] values, double threshold, TimeSpan step)
    {
        var onsets = new List<TimeSpan>();
        bool above = false;
        for (int i = 0; i < values.Length; i++)
        {
            bool now = values[i] > threshold;
            if (now && !above) onsets.Add(step * i);
            above = now;
        }
        return onsets;
    }

    private static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var samples = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples;
    }
}
