using Callbridge.Captions;
using Callbridge.ClientCaptions.Rendering;
using Callbridge.Gateways;

namespace Callbridge.ClientCaptions.Tests.Support;

/// <summary>The plain terminal output as text, plus every call as it came, for assertions.</summary>
internal sealed class RecordingOutput : IClientCaptionsOutput
{
    private readonly StringWriter _text = new() { NewLine = "\n" };
    private readonly CaptionTerminal _terminal;
    private readonly Lock _gate = new();
    private readonly List<CaptionUpdate> _captions = [];
    private readonly List<(string Participant, string Reason)> _cannotDecrypt = [];

    public RecordingOutput()
    {
        _terminal = new CaptionTerminal(_text, interactive: false);
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public IReadOnlyList<CaptionUpdate> Captions
    {
        get
        {
            lock (_gate)
            {
                return [.. _captions];
            }
        }
    }

    public IReadOnlyList<(string Participant, string Reason)> CannotDecryptReports
    {
        get
        {
            lock (_gate)
            {
                return [.. _cannotDecrypt];
            }
        }
    }

    public void OnCaption(CaptionUpdate caption)
    {
        lock (_gate)
        {
            _captions.Add(caption);
            _terminal.OnCaption(caption);
        }
    }

    public void OnNotice(CaptionNotice notice)
    {
        lock (_gate)
        {
            _terminal.OnNotice(notice);
        }
    }

    public void Status(string line)
    {
        lock (_gate)
        {
            _terminal.Status(line);
        }
    }

    public void CannotDecrypt(string participantId, string? displayName, string reason)
    {
        lock (_gate)
        {
            _cannotDecrypt.Add((participantId, reason));
            _terminal.CannotDecrypt(participantId, displayName, reason);
        }
    }
}
