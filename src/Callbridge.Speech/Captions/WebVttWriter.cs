using System.Globalization;
using System.Text;

namespace Callbridge.Speech.Captions;

/// <summary>
/// Streaming WebVTT writer (W3C WebVTT: "WEBVTT" signature, blank-line separated cues,
/// hh:mm:ss.ttt timestamps, voice spans for speakers). Cue text is escaped; "-->" cannot appear in a
/// cue since '&gt;' is escaped.
/// </summary>
public sealed class WebVttWriter
{
    private readonly TextWriter _writer;
    private int _cues;

    public WebVttWriter(TextWriter writer)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _writer.Write("WEBVTT\n\n");
    }

    public int CueCount => _cues;

    /// <summary>Writes one cue; <paramref name="speaker"/> becomes a &lt;v&gt; voice span when given.</summary>
    public void WriteCue(TimeSpan start, TimeSpan end, string text, string? speaker = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (end < start)
        {
            throw new ArgumentException("Cue end precedes its start.", nameof(end));
        }

        _cues++;
        var line = new StringBuilder();
        line.Append(_cues.ToString(CultureInfo.InvariantCulture)).Append('\n');
        line.Append(FormatTimestamp(start)).Append(" --> ").Append(FormatTimestamp(end)).Append('\n');
        if (speaker is not null)
        {
            line.Append("<v ").Append(Escape(speaker.Replace('\n', ' '))).Append('>');
        }

        // A blank line would end the cue early: collapse line breaks inside the text.
        line.Append(Escape(text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' ')));
        line.Append("\n\n");
        _writer.Write(line.ToString());
    }

    public void Flush() => _writer.Flush();

    /// <summary>hh:mm:ss.ttt (hours always present, at least two digits).</summary>
    public static string FormatTimestamp(TimeSpan time)
    {
        if (time < TimeSpan.Zero)
        {
            time = TimeSpan.Zero;
        }

        long totalMs = (long)Math.Round(time.TotalMilliseconds);
        long hours = totalMs / 3_600_000;
        int minutes = (int)(totalMs / 60_000 % 60);
        int seconds = (int)(totalMs / 1000 % 60);
        int millis = (int)(totalMs % 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{seconds:00}.{millis:000}");
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
