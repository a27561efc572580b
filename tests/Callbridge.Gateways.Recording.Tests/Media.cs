using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>Encoded frames as a publisher sends them, with their media time.</summary>
internal sealed record EncodedFrame(byte[] Data, TimeSpan Time, bool KeyFrame);

/// <summary>Real Opus and VP8 frames made by ffmpeg, cached per process (encoding is the slow part of these tests).</summary>
internal static class Media
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (List<EncodedFrame> Audio, List<EncodedFrame> Video)? _beepFlash;

    /// <summary>Beeps and flashes at <see cref="Marks"/>; 6 s of Opus (20 ms) and VP8 (15 fps, key frame each second).</summary>
    public static readonly TimeSpan[] Marks = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3.5)];

    public const int Seconds = 6;

    public static async Task<(List<EncodedFrame> Audio, List<EncodedFrame> Video)> BeepFlashAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_beepFlash is { } cached) return cached;
            string folder = TestEnvironment.NewFolder("beepflash");
            var (ogg, ivf) = await BeepFlash.WriteAsync(folder, Seconds, Marks);
            List<EncodedFrame> audio = [.. MediaContainers.ReadOggPackets(await File.ReadAllBytesAsync(ogg))
                .Select((p, i) => new EncodedFrame(p, TimeSpan.FromMilliseconds(20 * i), true))];
            List<EncodedFrame> video = [.. MediaContainers.ReadIvfFrames(await File.ReadAllBytesAsync(ivf))
                .Select(f => new EncodedFrame(f.Data, f.Timestamp, (f.Data[0] & 1) == 0))];
            _beepFlash = (audio, video);
            return _beepFlash.Value;
        }
        finally
        {
            Gate.Release();
        }
    }
}
