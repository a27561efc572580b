using System.Text;
using Callbridge.Captions;
using Callbridge.Gateways;

namespace Callbridge.ClientCaptions.Rendering;

/// <summary>
/// Live captions in a terminal, one line per final: <c>speaker: text</c>. On an interactive terminal the partials
/// of every speaker who is talking sit in a live block under the finals and are redrawn in place (ANSI cursor-up
/// and erase-below); otherwise (a pipe, a file) only finals, notices and status lines are written, as plain lines.
/// Thread-safe: the pipeline calls it from one task per speaker.
/// </summary>
public sealed class CaptionTerminal : IClientCaptionsOutput
{
    // ESC [ n A: cursor up n lines (ECMA-48 CUU); ESC [ J: erase from the cursor to the end of the screen (ED).
    private const string Escape = "\u001b[";

    private readonly TextWriter _writer;
    private readonly Func<int> _width;
    private readonly Lock _gate = new();
    private readonly List<(string Speaker, string Line)> _live = [];
    private int _drawnLines;

    /// <param name="interactive">Redraw partials in place (stdout is a terminal).</param>
    /// <param name="width">Terminal columns; a live line is cut to fit so that it takes exactly one row.</param>
    public CaptionTerminal(TextWriter writer, bool interactive, Func<int>? width = null)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        Interactive = interactive;
        _width = width ?? (() => 80);
    }

    public bool Interactive { get; }

    public void OnCaption(CaptionUpdate caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        string speaker = caption.DisplayName ?? caption.ParticipantId;
        lock (_gate)
        {
            int index = _live.FindIndex(l => l.Speaker == caption.ParticipantId);
            if (!caption.IsFinal)
            {
                if (!Interactive)
                {
                    return;
                }

                string line = caption.Text.Length == 0 ? $"{speaker}: ..." : $"{speaker}: {caption.Text}";
                if (index >= 0)
                {
                    _live[index] = (caption.ParticipantId, line);
                }
                else
                {
                    _live.Add((caption.ParticipantId, line));
                }

                Redraw(null);
                return;
            }

            if (index >= 0)
            {
                _live.RemoveAt(index);
            }

            Redraw(caption.Text.Length == 0 ? null : $"{speaker}: {caption.Text}");
        }
    }

    public void OnNotice(CaptionNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        // Starting a speaker is routine; the rest tells the participant why captions may be missing.
        if (notice.Kind == CaptionNoticeKind.SpeakerStarted)
        {
            return;
        }

        Permanent("[captions] " + notice.Detail);
    }

    public void Status(string line) => Permanent("[captions] " + line);

    public void CannotDecrypt(string participantId, string? displayName, string reason) =>
        Permanent($"[captions] Cannot decrypt {displayName ?? participantId}'s media: {reason} No captions for {displayName ?? participantId}.");

    private void Permanent(string line)
    {
        lock (_gate)
        {
            Redraw(line);
        }
    }

    /// <summary>Under the gate: erases the live block, writes <paramref name="permanent"/> above it, draws the block again.</summary>
    private void Redraw(string? permanent)
    {
        var text = new StringBuilder();
        if (Interactive && _drawnLines > 0)
        {
            text.Append('\r').Append(Escape).Append(_drawnLines).Append('A').Append(Escape).Append('J');
        }

        if (permanent is not null)
        {
            text.Append(permanent).Append('\n');
        }

        _drawnLines = 0;
        if (Interactive)
        {
            int width = Math.Max(10, _width() - 1);
            foreach (var (_, line) in _live)
            {
                // Keep the newest words: a partial grows at its end.
                text.Append(line.Length <= width ? line : "..." + line[^(width - 3)..]).Append('\n');
                _drawnLines++;
            }
        }

        if (text.Length > 0)
        {
            _writer.Write(text.ToString());
            _writer.Flush();
        }
    }
}
