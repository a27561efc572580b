using System.Globalization;
using System.Text.Json;

namespace Callbridge.TestSupport.Media;

/// <summary>Runs <c>ffprobe -show_format -show_streams -of json</c> and reads the fields tests assert on.</summary>
public static class Ffprobe
{
    public static async Task<FfprobeResult> ProbeAsync(string path)
    {
        var result = await ProgramRunner.RunCheckedAsync(
            RequiredPrograms.Ffprobe,
            ["-v", "error", "-show_format", "-show_streams", "-of", "json", path],
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return Parse(result.StandardOutput);
    }

    /// <summary>Parses ffprobe's JSON; a document without "format" is an error.</summary>
    public static FfprobeResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("format", out var format))
        {
            throw new InvalidDataException("ffprobe output has no format section");
        }

        var streams = new List<FfprobeStream>();
        if (root.TryGetProperty("streams", out var list))
        {
            foreach (var s in list.EnumerateArray())
            {
                streams.Add(new FfprobeStream(
                    s.TryGetProperty("index", out var i) ? i.GetInt32() : -1,
                    Str(s, "codec_type") ?? "unknown",
                    Str(s, "codec_name") ?? "unknown",
                    Int(s, "sample_rate"),
                    Int(s, "channels"),
                    Int(s, "width"),
                    Int(s, "height"),
                    Dbl(s, "duration")));
            }
        }

        return new FfprobeResult(Str(format, "format_name") ?? "unknown", Dbl(format, "duration"), streams);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // ffprobe prints sample_rate and duration as strings, channels and width as numbers.
    private static int? Int(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static double? Dbl(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
