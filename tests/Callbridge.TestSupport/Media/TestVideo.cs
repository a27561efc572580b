using System.Globalization;

namespace Callbridge.TestSupport.Media;

/// <summary>Y4M clips for Chromium's fake camera, made by ffmpeg.</summary>
public static class TestVideo
{
    /// <summary>
    /// ffmpeg's testsrc pattern (colour bars with a running frame counter) as raw YUV 4:2:0 Y4M.
    /// Small defaults (320x240, 15 fps, 3 s) keep the file near 5 MB; Chromium loops it.
    /// </summary>
    public static async Task<string> WriteY4mAsync(string folder, int width = 320, int height = 240, int fps = 15, int seconds = 3)
    {
        RequiredPrograms.Require(RequiredPrograms.Ffmpeg);
        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"testsrc-{width}x{height}-{fps}-{Guid.NewGuid():N}.y4m"));
        await ProgramRunner.RunCheckedAsync(
            RequiredPrograms.Ffmpeg,
            [
                "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc=size={width}x{height}:rate={fps}"),
                "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", output,
            ],
            TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return output;
    }
}
