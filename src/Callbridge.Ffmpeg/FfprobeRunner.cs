using System.Globalization;
using System.Text.Json;

namespace Callbridge.Ffmpeg;

/// <summary>Runs <c>ffprobe -show_format -show_streams -of json</c> and reads it into a <see cref="MediaProbe"/>.</summary>
public sealed class FfprobeRunner(FfmpegTools? tools = null)
{
    /// <summary>Probing reads headers and a little data: 60 s covers a slow disk under load.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly FfmpegTools _tools = tools ?? FfmpegTools.Default;

    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ProgramOutput output = await ProgramRun.RunAsync(_tools.FfprobePath,
            ["-v", "error", "-show_format", "-show_streams", "-of", "json", path], DefaultTimeout, cancellationToken).ConfigureAwait(false);
        return Parse(output.StandardOutput)
            ?? throw new FfmpegException(FfmpegFailure.UnreadableOutput, _tools.FfprobePath, 0, output.StandardErrorTail,
                $"ffprobe printed no readable format section for '{path}'.");
    }

    /// <summary>Reads ffprobe's JSON; null when it is not JSON or has no "format" object.</summary>
    internal static MediaProbe? Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.Object)
                return null;
            var streams = new List<MediaStreamInfo>();
            if (root.TryGetProperty("streams", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement s in list.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.Object) continue;
                    MediaStreamKind kind = Str(s, "codec_type") switch
                    {
                        "audio" => MediaStreamKind.Audio,
                        "video" => MediaStreamKind.Video,
                        _ => MediaStreamKind.Other,
                    };
                    streams.Add(new MediaStreamInfo(Int(s, "index") ?? streams.Count, kind, Str(s, "codec_name") ?? "unknown",
                        Int(s, "width"), Int(s, "height"), Int(s, "sample_rate"), Int(s, "channels"), Seconds(s, "start_time"), Seconds(s, "duration")));
                }
            }
            return new MediaProbe(Str(format, "format_name") ?? "unknown", Seconds(format, "start_time"), Seconds(format, "duration"), streams);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // ffprobe prints sample_rate and durations as strings, index, channels and width as numbers.
    private static int? Int(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)) return n;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
        return null;
    }

    private static TimeSpan? Seconds(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v)) return null;
        double seconds;
        if (v.ValueKind == JsonValueKind.Number) seconds = v.GetDouble();
        else if (v.ValueKind != JsonValueKind.String || !double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)) return null;
        return double.IsFinite(seconds) && Math.Abs(seconds) < 1e9 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
