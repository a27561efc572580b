using System.Text.Json;

namespace Callbridge.Speech.Whisper.Protocol;

/// <summary>One line the worker wrote on stdout (see scripts/tools/whisper/worker.js for the shapes).</summary>
internal sealed record WorkerMessage(
    WorkerMessageKind Kind,
    long Id,
    bool Ok,
    string? Code,
    string? Message,
    long Samples,
    IReadOnlyList<WorkerSegment> Segments)
{
    /// <summary>Parses one stdout line; false with a reason for anything that is not a well-formed message.</summary>
    public static bool TryParse(string line, out WorkerMessage? message, out WorkerParseError error)
    {
        message = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            error = WorkerParseError.NotJson;
            return false;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = WorkerParseError.NotJson;
                return false;
            }

            return TryRead(root, out message, out error);
        }
    }

    private static bool TryRead(JsonElement root, out WorkerMessage? message, out WorkerParseError error)
    {
        message = null;
        error = WorkerParseError.BadField;
        string? code = OptionalString(root, "code", out bool codeOk);
        string? text = OptionalString(root, "message", out bool messageOk);
        if (!codeOk || !messageOk)
        {
            return false;
        }

        if (root.TryGetProperty("event", out JsonElement ev))
        {
            if (ev.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            WorkerMessageKind? kind = ev.GetString() switch
            {
                "ready" => WorkerMessageKind.Ready,
                "fatal" => WorkerMessageKind.Fatal,
                _ => null,
            };
            if (kind is null)
            {
                error = WorkerParseError.UnknownShape;
                return false;
            }

            message = new WorkerMessage(kind.Value, 0, kind == WorkerMessageKind.Ready, code, text, 0, []);
            error = WorkerParseError.None;
            return true;
        }

        if (!root.TryGetProperty("id", out JsonElement id))
        {
            error = WorkerParseError.UnknownShape;
            return false;
        }

        if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out long idValue)
            || !root.TryGetProperty("ok", out JsonElement ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }

        long samples = 0;
        if (root.TryGetProperty("samples", out JsonElement s) && (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out samples) || samples < 0))
        {
            return false;
        }

        var segments = new List<WorkerSegment>();
        if (root.TryGetProperty("segments", out JsonElement segs))
        {
            if (segs.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (JsonElement seg in segs.EnumerateArray())
            {
                if (seg.ValueKind != JsonValueKind.Object
                    || !seg.TryGetProperty("text", out JsonElement t) || t.ValueKind != JsonValueKind.String
                    || !seg.TryGetProperty("t0", out JsonElement t0) || !t0.TryGetDouble(out double t0Ms)
                    || !seg.TryGetProperty("t1", out JsonElement t1) || !t1.TryGetDouble(out double t1Ms)
                    || !double.IsFinite(t0Ms) || !double.IsFinite(t1Ms))
                {
                    return false;
                }

                segments.Add(new WorkerSegment(t.GetString()!, t0Ms, t1Ms));
            }
        }

        message = new WorkerMessage(WorkerMessageKind.Reply, idValue, ok.ValueKind == JsonValueKind.True, code, text, samples, segments);
        error = WorkerParseError.None;
        return true;
    }

    private static string? OptionalString(JsonElement root, string name, out bool ok)
    {
        ok = true;
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        ok = value.ValueKind == JsonValueKind.String;
        return ok ? value.GetString() : null;
    }
}
