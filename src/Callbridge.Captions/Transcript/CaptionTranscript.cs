namespace Callbridge.Captions.Transcript;

/// <summary>
/// The finals of one captioning session, the notices it raised and how it ended. Thread-safe: the
/// pipeline's result tasks add to it while a caller reads snapshots.
/// </summary>
public sealed class CaptionTranscript
{
    private readonly Lock _gate = new();
    private readonly List<TranscriptEntry> _entries = [];
    private readonly List<CaptionNotice> _notices = [];
    private TranscriptStop? _stop;

    public CaptionTranscript(DateTimeOffset startedAt)
    {
        StartedAt = startedAt;
    }

    /// <summary>Wall clock at offset zero.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Finals with text, ordered by start time (then speaker).</summary>
    public IReadOnlyList<TranscriptEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.OrderBy(e => e.Start).ThenBy(e => e.ParticipantId, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<CaptionNotice> Notices
    {
        get
        {
            lock (_gate)
            {
                return [.. _notices];
            }
        }
    }

    /// <summary>Null while captioning goes on.</summary>
    public TranscriptStop? Stop
    {
        get
        {
            lock (_gate)
            {
                return _stop;
            }
        }
    }

    /// <summary>Adds a final; returns false once the transcript is stopped (results after a stop are not kept).</summary>
    internal bool TryAdd(TranscriptEntry entry)
    {
        lock (_gate)
        {
            if (_stop is { Immediate: true })
            {
                return false;
            }

            _entries.Add(entry);
            return true;
        }
    }

    internal void AddNotice(CaptionNotice notice)
    {
        lock (_gate)
        {
            _notices.Add(notice);
        }
    }

    /// <summary>Records the stop; the first one wins.</summary>
    internal bool TrySetStop(TranscriptStop stop)
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return false;
            }

            _stop = stop;
            return true;
        }
    }
}
