using Callbridge.Conference;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// The conference side of one phone call: joined as a publishing participant named after the caller, the
/// caller's audio published as Opus; everyone else's audio comes from the room's <see cref="RoomAudioHub"/>
/// (decoded once for all the bridge's calls in that room) as a mix without the caller.
/// </summary>
internal sealed class ConferenceLeg : IAsyncDisposable, IPhoneAudioSink, IPhoneAudioSource
{
    // Invariant: _audio is used only under _audioGate and never after _audioDisposed is set. The media clock calls
    // in from its own thread and may still be inside a call when the leg is torn down, so disposal waits for it
    // on the same lock. Lock order: _audioGate, then the room's lock (inside _audio); never the other way.
    private readonly Lock _audioGate = new();
    private PhoneConferenceAudio? _audio;
    private bool _audioDisposed;
    private IConferenceSession? _session;
    private RoomAudioLease? _room;
    private IConferenceAudioPublication? _publication;
    private int _disposed;

    private ConferenceLeg()
    {
    }

    public IConferenceSession Session => _session!;

    /// <summary>The call's place in its room's shared audio.</summary>
    public RoomAudioLease Room => _room!;

    /// <summary>The audio path's counters (decoded, mixed, underruns), read under the same lock as the media.</summary>
    public PhoneConferenceAudioStatistics? AudioStatistics
    {
        get
        {
            lock (_audioGate) return _audio?.Statistics;
        }
    }

    /// <summary>
    /// Joins as the caller's participant, takes a mix from the room's hub (which from then on leaves that
    /// participant out of the room's subscription: the room's other calls hear the caller in the bridge),
    /// publishes the caller, and wires the phone. <paramref name="onEncrypted"/> hears of
    /// every E2EE track of the room; <paramref name="onLost"/> of the hub losing the room's audio for good.
    /// </summary>
    public static async Task<ConferenceLeg> JoinAsync(IConferenceConnector connector, RoomAudioHubs hubs, string conferenceId, string displayName,
        PhoneRtpSession rtp, PromptPlayer player, Action<PublishedTrack, string> onEncrypted, Action<string> onLost, CancellationToken ct)
    {
        var leg = new ConferenceLeg();
        try
        {
            leg._session = await connector.JoinAsync(new ConferenceJoinRequest(conferenceId, displayName, BotRole.SubscriberAndPublisher), ct).ConfigureAwait(false);
            leg._room = await hubs.JoinAsync(connector, conferenceId, leg._session, onEncrypted, onLost, ct).ConfigureAwait(false);
            lock (leg._audioGate) leg._audio = new PhoneConferenceAudio(leg._room.Member);
            leg._publication = await leg._session.PublishAudioAsync(new AudioPublicationOptions(), ct).ConfigureAwait(false);
            lock (leg._audioGate) leg._audio.Publication = leg._publication;
            rtp.AudioSink = leg;
            player.Fallback = leg;
            return leg;
        }
        catch
        {
            await leg.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops media in both directions at once (leave-now: nothing more is taken from the conference).</summary>
    public void StopMedia(PhoneRtpSession rtp, PromptPlayer player)
    {
        rtp.AudioSink = null;
        player.Fallback = null;
        lock (_audioGate)
        {
            _audioDisposed = true;
            // The room's other callers stop waiting for this one's voice.
            _audio?.Member.StopSpeaking();
        }
    }

    public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
    {
        lock (_audioGate) if (!_audioDisposed) _audio?.OnPhoneAudio(frame8k, concealed);
    }

    public int Read(Span<short> frame8k)
    {
        lock (_audioGate) return _audioDisposed || _audio is null ? 0 : _audio.Read(frame8k);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_audioGate)
        {
            _audioDisposed = true;
            _audio?.Publication = null;
        }
        if (_publication is not null) await _publication.DisposeAsync().ConfigureAwait(false);
        if (_room is not null) await _room.DisposeAsync().ConfigureAwait(false);
        if (_session is not null)
        {
            try { await _session.LeaveAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (ConferenceException) { }
            await _session.DisposeAsync().ConfigureAwait(false);
        }
        lock (_audioGate) _audio?.Dispose();
    }
}
