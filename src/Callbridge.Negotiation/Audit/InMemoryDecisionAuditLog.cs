namespace Callbridge.Negotiation.Audit;

/// <summary>
/// Bounded in memory: at most <c>maxEntriesPerConference</c> per conference (oldest dropped first) and
/// at most <c>maxConferences</c> conferences (the one written least recently is forgotten first).
/// Memory is therefore O(maxConferences x maxEntriesPerConference) whatever the traffic.
/// </summary>
public sealed class InMemoryDecisionAuditLog : IDecisionAuditLog
{
    private readonly int _maxPerConference;
    private readonly int _maxConferences;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Queue<DecisionAuditEntry> Entries, LinkedListNode<string> Node)> _byConference = new(StringComparer.Ordinal);
    // Least recently written first.
    private readonly LinkedList<string> _recency = new();

    /// <param name="maxEntriesPerConference">256 by default: a long meeting sees a few dozen decisions.</param>
    /// <param name="maxConferences">1024 by default: more than one host runs conferences at once.</param>
    public InMemoryDecisionAuditLog(int maxEntriesPerConference = 256, int maxConferences = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerConference, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConferences, 1);
        _maxPerConference = maxEntriesPerConference;
        _maxConferences = maxConferences;
    }

    public int ConferenceCount
    {
        get { lock (_gate) { return _byConference.Count; } }
    }

    public void Append(DecisionAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_byConference.TryGetValue(entry.ConferenceId, out var slot))
            {
                _recency.Remove(slot.Node);
                _recency.AddLast(slot.Node);
            }
            else
            {
                if (_byConference.Count == _maxConferences)
                {
                    string oldest = _recency.First!.Value;
                    _recency.RemoveFirst();
                    _byConference.Remove(oldest);
                }

                slot = (new Queue<DecisionAuditEntry>(), _recency.AddLast(entry.ConferenceId));
                _byConference.Add(entry.ConferenceId, slot);
            }

            if (slot.Entries.Count == _maxPerConference)
            {
                slot.Entries.Dequeue();
            }

            slot.Entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<DecisionAuditEntry> Query(string conferenceId, int maxEntries = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 0);
        lock (_gate)
        {
            if (!_byConference.TryGetValue(conferenceId, out var slot))
            {
                return [];
            }

            return [.. slot.Entries.Skip(Math.Max(0, slot.Entries.Count - maxEntries))];
        }
    }
}
