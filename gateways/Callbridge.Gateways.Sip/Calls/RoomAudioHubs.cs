using Callbridge.Conference;
using Callbridge.PhoneMedia;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// The bridge's <see cref="RoomAudioHub"/>s, one per conference with phone calls in it, counted by their calls.
/// Owned by <see cref="SipBridgeRuntime"/>. <c>_gate</c> guards the table and every hub's <c>Users</c>; a hub
/// leaves the table when its count reaches zero or it failed, so the next call of that conference starts a new one.
/// </summary>
internal sealed class RoomAudioHubs(ILogger logger, PhoneConferenceAudioOptions? options = null) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RoomAudioHub> _hubs = new(StringComparer.Ordinal);
    private readonly PhoneConferenceAudioOptions _options = options ?? new PhoneConferenceAudioOptions();

    /// <summary>Open hubs (for figures and tests).</summary>
    public IReadOnlyList<RoomAudioHub> Open
    {
        get
        {
            lock (_gate) return [.. _hubs.Values];
        }
    }

    /// <summary>
    /// The call joins its room's hub (started by the first call of the room, which every other call awaits) and
    /// gets its own mix. Dispose the lease when the call leaves.
    /// </summary>
    public async Task<RoomAudioLease> JoinAsync(IConferenceConnector connector, string conferenceId, IConferenceSession callSession,
        Action<PublishedTrack, string> onEncrypted, Action<string> onLost, CancellationToken cancellationToken)
    {
        RoomAudioHub hub;
        lock (_gate)
        {
            if (!_hubs.TryGetValue(conferenceId, out hub!) || hub.Failed || hub.Started is { IsFaulted: true } or { IsCanceled: true })
            {
                hub = new RoomAudioHub(conferenceId, connector, _options, logger);
                // The start is not the first caller's to cancel: the others of the room wait for the same one.
                hub.Started = hub.StartAsync(CancellationToken.None);
                _hubs[conferenceId] = hub;
            }

            hub.Users++;
        }

        try
        {
            await hub.Started!.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new RoomAudioLease(this, hub, hub.Add(callSession, onEncrypted, onLost));
        }
        catch
        {
            await ReleaseAsync(hub).ConfigureAwait(false);
            throw;
        }
    }

    internal async ValueTask ReleaseAsync(RoomAudioHub hub)
    {
        lock (_gate)
        {
            if (--hub.Users > 0)
            {
                return;
            }

            if (_hubs.TryGetValue(hub.ConferenceId, out RoomAudioHub? current) && ReferenceEquals(current, hub))
            {
                _hubs.Remove(hub.ConferenceId);
            }
        }

        try
        {
            await hub.Started!.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // It never started (the first call of the room already got that error): DisposeAsync cleans up what is left.
        }

        await hub.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        RoomAudioHub[] hubs;
        lock (_gate)
        {
            hubs = [.. _hubs.Values];
            _hubs.Clear();
        }

        foreach (RoomAudioHub hub in hubs)
        {
            await hub.DisposeAsync().ConfigureAwait(false);
        }
    }
}
