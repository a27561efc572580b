using System.Globalization;
using System.Text;

namespace Callbridge.Ffmpeg;

/// <summary>The ffmpeg operations the gateways need, each built as an argument list from a typed request.</summary>
public sealed class FfmpegRunner(FfmpegTools? tools = null)
{
    private readonly FfmpegTools _tools = tools ?? FfmpegTools.Default;

    /// <summary>Copies streams into one file. Stream copy is disk-bound: 2 minutes is generous for hours of media.</summary>
    public async Task RemuxAsync(RemuxRequest request, CancellationToken cancellationToken = default)
    {
        await ProgramRun.RunAsync(_tools.FfmpegPath, RemuxArguments(request), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Encodes the composite. The time limit is four times the media's length plus a minute: the realtime
    /// VP8 preset runs faster than real time on one core, so a run past that is stuck, not slow.
    /// </summary>
    public async Task ComposeAsync(CompositeRequest request, CancellationToken cancellationToken = default)
    {
        TimeSpan limit = TimeSpan.FromMinutes(1) + 4 * request.Duration;
        await ProgramRun.RunAsync(_tools.FfmpegPath, CompositeArguments(request), limit, cancellationToken).ConfigureAwait(false);
    }

    internal static List<string> RemuxArguments(RemuxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Inputs.Count == 0) throw new ArgumentException("A remux needs at least one input.", nameof(request));
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        foreach (TimedInput input in request.Inputs)
        {
            // -itsoffset applies to the next input only: its first frame is moved to the offset.
            args.AddRange(["-itsoffset", Seconds(input.Offset), "-i", input.Path]);
        }
        for (int i = 0; i < request.Inputs.Count; i++) args.AddRange(["-map", i.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-c", "copy", request.OutputPath]);
        return args;
    }

    internal static List<string> CompositeArguments(CompositeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Audio.Count + request.Video.Count == 0) throw new ArgumentException("A composite needs at least one input.", nameof(request));
        if (request.Duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(request), "The composite's duration must be positive.");
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        // Offsets are given with -itsoffset rather than setpts: ffmpeg rebuilds a filter graph when a
        // camera changes resolution, and a rebuilt setpts would forget where the track began.
        foreach (TimedInput input in request.Audio.Concat(request.Video))
        {
            args.AddRange(["-itsoffset", Seconds(input.Offset), "-i", input.Path]);
        }
        int canvasInput = request.Audio.Count + request.Video.Count;
        string duration = Seconds(request.Duration);
        if (request.Video.Count > 0)
        {
            args.AddRange(["-f", "lavfi", "-i",
                FormattableString.Invariant($"color=c=black:s={request.Width}x{request.Height}:r={request.FramesPerSecond}:d={duration}")]);
        }

        var graph = new StringBuilder();
        if (request.Audio.Count > 0)
        {
            for (int i = 0; i < request.Audio.Count; i++)
            {
                // async=1 fills gaps (and, with first_pts=0, the time before the track began) with silence.
                graph.Append(CultureInfo.InvariantCulture, $"[{i}:a]aresample=48000:async=1:first_pts=0[a{i}];");
            }
            for (int i = 0; i < request.Audio.Count; i++) graph.Append(CultureInfo.InvariantCulture, $"[a{i}]");
            // normalize=0: a participant's level does not drop because others joined.
            graph.Append(CultureInfo.InvariantCulture,
                $"amix=inputs={request.Audio.Count}:duration=longest:dropout_transition=0:normalize=0,atrim=0:{duration}[aout];");
        }
        if (request.Video.Count > 0)
        {
            IReadOnlyList<GridTile> tiles = GridLayout.Tiles(request.Video.Count, request.Width, request.Height);
            string previous = $"{canvasInput}:v";
            for (int i = 0; i < request.Video.Count; i++)
            {
                GridTile tile = tiles[i];
                int input = request.Audio.Count + i;
                // fps first: each camera frame goes to the canvas frame nearest its time, at most half a canvas
                // period (33 ms at 15/s) early or late. The overlay alone shows a frame from the first canvas frame
                // after it, up to a whole period (67 ms) behind its audio. Frames dropped here are never scaled.
                graph.Append(CultureInfo.InvariantCulture,
                    $"[{input}:v]fps={request.FramesPerSecond}:round=near,scale={tile.Width}:{tile.Height}:force_original_aspect_ratio=decrease,pad={tile.Width}:{tile.Height}:(ow-iw)/2:(oh-ih)/2,setsar=1[t{i}];");
                // The tile is empty until its first frame and again after its last (eof_action=pass).
                graph.Append(CultureInfo.InvariantCulture,
                    $"[{previous}][t{i}]overlay=x={tile.X}:y={tile.Y}:eof_action=pass:repeatlast=0[o{i}];");
                previous = $"o{i}";
            }
            graph.Append(CultureInfo.InvariantCulture, $"[{previous}]format=yuv420p[vout];");
        }
        graph.Length--; // the last ';'
        args.AddRange(["-filter_complex", graph.ToString()]);
        if (request.Video.Count > 0)
        {
            args.AddRange(["-map", "[vout]", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8",
                "-b:v", request.VideoBitrateKbps.ToString(CultureInfo.InvariantCulture) + "k",
                // A key frame every 2 s keeps the composite seekable.
                "-g", (2 * request.FramesPerSecond).ToString(CultureInfo.InvariantCulture)]);
        }
        if (request.Audio.Count > 0)
        {
            args.AddRange(["-map", "[aout]", "-c:a", "libopus", "-b:a", request.AudioBitrateKbps.ToString(CultureInfo.InvariantCulture) + "k"]);
        }
        args.AddRange(["-t", duration, request.OutputPath]);
        return args;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
