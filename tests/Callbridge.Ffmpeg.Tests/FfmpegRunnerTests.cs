using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Ffmpeg.Tests;

/// <summary>The wrapper against the real Debian ffmpeg and ffprobe.</summary>
public sealed class FfmpegRunnerTests
{
    private readonly string _folder = TestEnvironment.NewFolder("ffmpeg");
    private readonly FfmpegRunner _ffmpeg = new();
    private readonly FfprobeRunner _ffprobe = new();

    private async Task<string> WebmAsync(string name, string lavfi, string codecArgs)
    {
        string path = Path.Combine(_folder, name);
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg,
            ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", lavfi, .. codecArgs.Split(' '), path], TimeSpan.FromSeconds(60));
        return path;
    }

    [Fact]
    public async Task Probe_reads_streams_start_and_duration()
    {
        string audio = await WebmAsync("tone.webm", "sine=frequency=440:sample_rate=48000:duration=2", "-c:a libopus");
        MediaProbe probe = await _ffprobe.ProbeAsync(audio);
        Assert.Contains("webm", probe.FormatName, StringComparison.Ordinal);
        MediaStreamInfo stream = Assert.Single(probe.Streams);
        Assert.Equal((MediaStreamKind.Audio, "opus", 48000), (stream.Kind, stream.Codec, stream.SampleRate));
        Assert.NotNull(probe.Duration);
        Assert.Equal(2.0, probe.Duration.Value.TotalSeconds, 0.1);
    }

    [Fact]
    public async Task Remux_copies_audio_and_video_into_one_file_with_their_offsets()
    {
        string audio = await WebmAsync("a.webm", "sine=frequency=440:sample_rate=48000:duration=3", "-c:a libopus");
        string video = await WebmAsync("v.webm", "testsrc=size=320x240:rate=15:duration=2", "-c:v libvpx -b:v 200k");
        string output = Path.Combine(_folder, "both.webm");
        await _ffmpeg.RemuxAsync(new RemuxRequest([new TimedInput(audio, TimeSpan.Zero), new TimedInput(video, TimeSpan.FromSeconds(1))], output));

        MediaProbe probe = await _ffprobe.ProbeAsync(output);
        Assert.Equal("opus", Assert.Single(probe.Audio).Codec);
        Assert.Equal(("vp8", 320), (Assert.Single(probe.Video).Codec, Assert.Single(probe.Video).Width));
        Assert.Equal(3.0, probe.Duration!.Value.TotalSeconds, 0.15);
        // The video's first frame sits one second in.
        ProgramResult first = await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffprobe,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-read_intervals", "%+#1", "-of", "csv=p=0", output], TimeSpan.FromSeconds(30));
        Assert.Equal(1.0, double.Parse(first.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture), 0.01);
    }

    [Fact]
    public async Task Composite_places_each_participant_at_its_offset_with_audio_and_video_in_sync()
    {
        // Two participants: one from 0 s, one joining at 1.5 s; each beeps and flashes 1 s into its own clip.
        var (audio, video) = await BeepFlashWebmAsync("p", fps: 15);
        TimeSpan late = TimeSpan.FromSeconds(1.5);
        string output = Path.Combine(_folder, "composite.webm");
        await _ffmpeg.ComposeAsync(new CompositeRequest(
            [new TimedInput(audio, TimeSpan.Zero)],
            [new TimedInput(video, TimeSpan.Zero), new TimedInput(video, late)],
            TimeSpan.FromSeconds(5), output, Width: 640, Height: 240));

        MediaProbe probe = await _ffprobe.ProbeAsync(output);
        Assert.Equal(("vp8", 640, 240), (Assert.Single(probe.Video).Codec, Assert.Single(probe.Video).Width, Assert.Single(probe.Video).Height));
        Assert.Equal("opus", Assert.Single(probe.Audio).Codec);
        Assert.Equal(5.0, probe.Duration!.Value.TotalSeconds, 0.15);

        IReadOnlyList<GridTile> tiles = GridLayout.Tiles(2, 640, 240);
        TimeSpan beep = Assert.Single(await BeepFlash.AudioOnsetsAsync(output, _folder));
        TimeSpan flashLeft = Assert.Single(await BeepFlash.FlashOnsetsAsync(output, _folder, (tiles[0].X, tiles[0].Y, tiles[0].Width, tiles[0].Height)));
        TimeSpan flashRight = Assert.Single(await BeepFlash.FlashOnsetsAsync(output, _folder, (tiles[1].X, tiles[1].Y, tiles[1].Width, tiles[1].Height)));
        Assert.InRange(Math.Abs((beep - TimeSpan.FromSeconds(1)).TotalMilliseconds), 0, 80);
        Assert.InRange(Math.Abs((flashLeft - beep).TotalMilliseconds), 0, 80);
        Assert.InRange(Math.Abs((flashRight - (beep + late)).TotalMilliseconds), 0, 80);
    }

    [Fact]
    public async Task A_camera_frame_between_two_canvas_frames_is_shown_on_the_nearer_one()
    {
        // A 30/s camera clip that beeps and flashes 1 s in, placed 10 ms late: both marks at 1.010 s. The 15/s
        // canvas has frames at 1.000 s and 1.067 s; the flash belongs on the first (10 ms early), not the second
        // (57 ms late).
        var (audio, video) = await BeepFlashWebmAsync("n", fps: 30);
        TimeSpan offset = TimeSpan.FromMilliseconds(10);
        string output = Path.Combine(_folder, "nearest.webm");
        await _ffmpeg.ComposeAsync(new CompositeRequest(
            [new TimedInput(audio, offset)], [new TimedInput(video, offset)], TimeSpan.FromSeconds(3), output, FramesPerSecond: 15));

        TimeSpan beep = Assert.Single(await BeepFlash.AudioOnsetsAsync(output, _folder));
        TimeSpan flash = Assert.Single(await BeepFlash.FlashOnsetsAsync(output, _folder));
        // The nearer canvas frame is 10 ms early. The WebM muxer starts the video 7 ms late (it shifts every stream
        // by the Opus encoder's lead-in, which the audio's decoder then trims) and the onset finders step 5 ms.
        Assert.InRange((flash - beep).TotalMilliseconds, -10 - 10, -10 + 7 + 10);
    }

    /// <summary>
    /// A 3 s clip that beeps and flashes 1 s in, as a participant's two recorded files (WebM audio, WebM video):
    /// remuxed without re-encoding.
    /// </summary>
    private async Task<(string Audio, string Video)> BeepFlashWebmAsync(string name, int fps)
    {
        var (ogg, ivf) = await BeepFlash.WriteAsync(_folder, 3, [TimeSpan.FromSeconds(1)], fps: fps);
        string audio = Path.Combine(_folder, name + "-audio.webm");
        string video = Path.Combine(_folder, name + "-video.webm");
        foreach (var (input, output) in new[] { (ogg, audio), (ivf, video) })
        {
            await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", input, "-c", "copy", output], TimeSpan.FromSeconds(30));
        }

        return (audio, video);
    }

    [Fact]
    public async Task A_failing_run_is_a_typed_error_with_the_reason()
    {
        var error = await Assert.ThrowsAsync<FfmpegException>(() =>
            _ffprobe.ProbeAsync(Path.Combine(_folder, "no-such-file.webm")));
        Assert.Equal(FfmpegFailure.ExitCode, error.Failure);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("No such file", error.StandardErrorTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_program_names_the_debian_package()
    {
        var runner = new FfprobeRunner(new FfmpegTools(FfprobePath: "/nonexistent/ffprobe"));
        var error = await Assert.ThrowsAsync<FfmpegMissingException>(() => runner.ProbeAsync("x.webm"));
        Assert.Contains("'ffmpeg'", error.Message, StringComparison.Ordinal);
    }
}
