using System.Text;
using Callbridge.Speech.Captions;

namespace Callbridge.Captions.Transcript;

/// <summary>Writes a <see cref="CaptionTranscript"/> as W3C WebVTT: one cue per final with the speaker as a voice span, and a NOTE for the stop.</summary>
public static class TranscriptWebVtt
{
    public const string ContentType = "text/vtt; charset=utf-8";

    public static string Write(CaptionTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var vtt = new WebVttWriter(text);
        foreach (TranscriptEntry entry in transcript.Entries)
        {
            vtt.WriteCue(entry.Start, entry.End < entry.Start ? entry.Start : entry.End, entry.Text, entry.DisplayName ?? entry.ParticipantId);
        }

        if (transcript.Stop is { } stop)
        {
            // WebVTT NOTE block: a comment that players ignore; it must not contain "-->" nor a blank line.
            string reason = stop.ReasonCode is null ? "" : $" (reason {stop.ReasonCode})";
            string note = $"NOTE Captioning stopped at {WebVttWriter.FormatTimestamp(stop.At)} ({stop.WallClock:O}){reason}: {stop.Detail}";
            text.Write(note.Replace("-->", "->", StringComparison.Ordinal).Replace('\n', ' ').Replace("\r", "", StringComparison.Ordinal));
            text.Write("\n\n");
        }

        return text.ToString();
    }

    public static byte[] WriteUtf8(CaptionTranscript transcript) => Encoding.UTF8.GetBytes(Write(transcript));
}
