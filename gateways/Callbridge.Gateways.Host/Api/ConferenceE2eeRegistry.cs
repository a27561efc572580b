using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// What the host knows of each conference's E2EE state: the host's toggle (reported by the conferencing
/// platform through the API), the room policy as running gateways' sessions observed it, and the tracks the
/// media core saw encrypted (each counted once). Decisions before joining fold in the SFU's current room
/// policy instead (<see cref="Current"/>), read without joining.
/// </summary>
internal sealed class ConferenceE2eeRegistry
{
    /// <summary>Distinct encrypted tracks remembered per conference: a conference has far fewer tracks; the
    /// count only has to stay above zero once one was seen.</summary>
    private const int MaxTracksPerConference = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public ConferenceE2eeState State { get; set; } = ConferenceE2eeState.Clear;

        public HashSet<string> EncryptedTracks { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A change of state: what it was and what it is now.</summary>
    public readonly record struct Change(ConferenceE2eeState Before, ConferenceE2eeState After)
    {
        public bool Changed => Before != After;

        /// <summary>The conference went from no E2EE signal to at least one.</summary>
        public bool BecameE2ee => !Before.AnySignal && After.AnySignal;
    }

    /// <summary>The state with the SFU's current room policy folded in.</summary>
    public ConferenceE2eeState Current(string conferenceId, bool roomRequiresE2ee) => Known(conferenceId) with { RoomRequiresE2ee = roomRequiresE2ee };

    /// <summary>The state as observed so far (room policy as gateways' sessions last reported it).</summary>
    public ConferenceE2eeState Known(string conferenceId)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(conferenceId, out Entry? entry) ? entry.State : ConferenceE2eeState.Clear;
        }
    }

    public Change SetHostToggle(string conferenceId, bool on, DateTimeOffset at) =>
        Update(conferenceId, e => e.State = e.State.WithHostToggle(on, at));

    public Change ObserveRoomPolicy(string conferenceId, bool requiresE2ee) =>
        Update(conferenceId, e => e.State = e.State with { RoomRequiresE2ee = requiresE2ee });

    /// <summary>A track the detector marked encrypted; <paramref name="trackKey"/> identifies it in the conference.</summary>
    public Change ObserveEncryptedTrack(string conferenceId, string trackKey) =>
        Update(conferenceId, e =>
        {
            if (e.EncryptedTracks.Count < MaxTracksPerConference && e.EncryptedTracks.Add(trackKey))
                e.State = e.State with { EncryptedTracksObserved = e.EncryptedTracks.Count };
        });

    /// <summary>The conference ended: a room later created with the same id starts clear.</summary>
    public void Forget(string conferenceId)
    {
        lock (_gate)
        {
            _entries.Remove(conferenceId);
        }
    }

    private Change Update(string conferenceId, Action<Entry> change)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(conferenceId, out Entry? entry))
            {
                entry = new Entry();
                _entries.Add(conferenceId, entry);
            }
            ConferenceE2eeState before = entry.State;
            change(entry);
            return new Change(before, entry.State);
        }
    }
}
