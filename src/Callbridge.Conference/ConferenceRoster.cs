namespace Callbridge.Conference;

/// <summary>
/// Who is in the conference and what they publish, kept from the SFU's notifications. Every change is
/// idempotent (SFUs repeat themselves: Janus sends <c>unpublished</c> twice, and a rebuilt roster after
/// a reconnect repeats what was known) and returns only the events that really changed something.
/// </summary>
/// <remarks>Not thread-safe: one signalling loop owns it.</remarks>
public sealed class ConferenceRoster
{
    private readonly Dictionary<string, Entry> _participants = new(StringComparer.Ordinal);

    private sealed class Entry(string? displayName)
    {
        public string? DisplayName { get; set; } = displayName;
        public Dictionary<string, PublishedTrack> Tracks { get; } = new(StringComparer.Ordinal);
    }

    public IReadOnlyList<ConferenceParticipant> Participants =>
        _participants.Select(p => new ConferenceParticipant(p.Key, p.Value.DisplayName, p.Value.Tracks.Values.OrderBy(t => t.Mid, StringComparer.Ordinal).ToArray()))
            .OrderBy(p => p.ParticipantId, StringComparer.Ordinal).ToArray();

    public IEnumerable<PublishedTrack> Tracks => _participants.Values.SelectMany(p => p.Tracks.Values);

    /// <summary>A participant is present (with or without tracks).</summary>
    public IReadOnlyList<ConferenceEvent> Present(DateTimeOffset at, string participantId, string? displayName)
    {
        if (_participants.TryGetValue(participantId, out Entry? known))
        {
            if (displayName is not null) known.DisplayName = displayName;
            return [];
        }
        _participants[participantId] = new Entry(displayName);
        return [new ParticipantJoined(at, new ConferenceParticipant(participantId, displayName, []))];
    }

    /// <summary>A participant now publishes exactly <paramref name="tracks"/> (a full, not incremental, list).</summary>
    public IReadOnlyList<ConferenceEvent> Publishing(DateTimeOffset at, string participantId, string? displayName, IReadOnlyList<PublishedTrack> tracks)
    {
        var events = new List<ConferenceEvent>(Present(at, participantId, displayName));
        Entry entry = _participants[participantId];
        var now = tracks.ToDictionary(t => t.Mid, StringComparer.Ordinal);
        foreach (PublishedTrack gone in entry.Tracks.Values.Where(t => !now.ContainsKey(t.Mid)).ToList())
        {
            entry.Tracks.Remove(gone.Mid);
            events.Add(new TrackUnpublished(at, gone));
        }
        foreach (PublishedTrack track in tracks)
        {
            if (entry.Tracks.TryGetValue(track.Mid, out PublishedTrack? old) && old == track) continue;
            if (old is not null) events.Add(new TrackUnpublished(at, old));
            entry.Tracks[track.Mid] = track;
            events.Add(new TrackPublished(at, track));
        }
        return events;
    }

    /// <summary>A participant stopped publishing everything (but may still be there).</summary>
    public IReadOnlyList<ConferenceEvent> Unpublished(DateTimeOffset at, string participantId)
    {
        if (!_participants.TryGetValue(participantId, out Entry? entry) || entry.Tracks.Count == 0) return [];
        var events = entry.Tracks.Values.Select(t => (ConferenceEvent)new TrackUnpublished(at, t)).ToList();
        entry.Tracks.Clear();
        return events;
    }

    /// <summary>A participant left: its tracks are unpublished first, then it leaves.</summary>
    public IReadOnlyList<ConferenceEvent> Left(DateTimeOffset at, string participantId)
    {
        if (!_participants.ContainsKey(participantId)) return [];
        var events = new List<ConferenceEvent>(Unpublished(at, participantId));
        _participants.Remove(participantId);
        events.Add(new ParticipantLeft(at, participantId));
        return events;
    }

    /// <summary>
    /// Replaces the whole roster with a fresh view (after a reconnect), emitting only the differences:
    /// who left while the bot was away, who joined, what changed.
    /// </summary>
    public IReadOnlyList<ConferenceEvent> Replace(DateTimeOffset at, IReadOnlyList<ConferenceParticipant> fresh)
    {
        var events = new List<ConferenceEvent>();
        var freshIds = fresh.Select(p => p.ParticipantId).ToHashSet(StringComparer.Ordinal);
        foreach (string gone in _participants.Keys.Where(id => !freshIds.Contains(id)).ToList()) events.AddRange(Left(at, gone));
        foreach (ConferenceParticipant p in fresh) events.AddRange(Publishing(at, p.ParticipantId, p.DisplayName, p.Tracks));
        return events;
    }
}
