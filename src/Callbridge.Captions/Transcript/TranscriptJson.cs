using System.Buffers;
using System.Text.Json;

namespace Callbridge.Captions.Transcript;

/// <summary>
/// Writes a <see cref="CaptionTranscript"/> as JSON: { startedAt, stop: { at, wallClock, reasonCode, detail, immediate } | null,
/// captions: [ { participantId, displayName, utteranceId, text, start, end, confidence, emitted, reason } ], notices: [...] }.
/// Times are seconds from the start of captioning (3 decimals).
/// </summary>
public static class TranscriptJson
{
    public const string ContentType = "application/json";

    public static byte[] Write(CaptionTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("startedAt", transcript.StartedAt);
            json.WritePropertyName("stop");
            if (transcript.Stop is { } stop)
            {
                json.WriteStartObject();
                WriteSeconds(json, "at", stop.At);
                json.WriteString("wallClock", stop.WallClock);
                json.WriteString("reasonCode", stop.ReasonCode);
                json.WriteString("detail", stop.Detail);
                json.WriteBoolean("immediate", stop.Immediate);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteStartArray("captions");
            foreach (TranscriptEntry entry in transcript.Entries)
            {
                json.WriteStartObject();
                json.WriteString("participantId", entry.ParticipantId);
                json.WriteString("displayName", entry.DisplayName);
                json.WriteString("utteranceId", entry.UtteranceId);
                json.WriteString("text", entry.Text);
                WriteSeconds(json, "start", entry.Start);
                WriteSeconds(json, "end", entry.End);
                if (entry.Confidence is { } confidence)
                {
                    json.WriteNumber("confidence", Math.Round(confidence, 4));
                }
                else
                {
                    json.WriteNull("confidence");
                }

                WriteSeconds(json, "emitted", entry.Emitted);
                json.WriteString("reason", entry.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("notices");
            foreach (CaptionNotice notice in transcript.Notices)
            {
                json.WriteStartObject();
                json.WriteString("kind", notice.Kind.ToString());
                json.WriteString("participantId", notice.ParticipantId);
                WriteSeconds(json, "at", notice.At);
                json.WriteString("detail", notice.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSeconds(Utf8JsonWriter json, string name, TimeSpan value) =>
        json.WriteNumber(name, Math.Round(value.TotalSeconds, 3));
}
