using System.Collections.Concurrent;
using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// What the host knows of each conference's E2EE state beyond the room's policy, which is read from
/// the SFU on every decision: the host's toggle (reported by the conferencing platform through the
/// API), participants that declared E2EE, tracks the media core saw encrypted.
/// </summary>
internal sealed class ConferenceE2eeRegistry
{
    private readonly ConcurrentDictionary<string, ConferenceE2eeState> _states = new(StringComparer.Ordinal);

    /// <summary>The state with the SFU's current room policy folded in.</summary>
    public ConferenceE2eeState Current(string conferenceId, bool roomRequiresE2ee) =>
        _states.GetValueOrDefault(conferenceId, ConferenceE2eeState.Clear) with { RoomRequiresE2ee = roomRequiresE2ee };

    public ConferenceE2eeState SetHostToggle(string conferenceId, bool on, DateTimeOffset at) =>
        _states.AddOrUpdate(conferenceId,
            _ => ConferenceE2eeState.Clear.WithHostToggle(on, at),
            (_, old) => old.WithHostToggle(on, at));
}
