using Callbridge.Conference;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// The conference side of one phone call: joined as a publishing participant named after the caller; everyone
/// else's audio decoded and mixed without the caller for the phone, the caller's audio published as Opus.
/// </summary>
internal sealed class ConferenceLeg : IAsyncDisposable, IConferenceMediaSink, IPhoneAudioSink, IPhoneAudioSource
{
    // Invariant: _audio is used only under _audioGate and never after _audioDisposed is set. The phone's RTP timer
    // and the media core's receive loop call in from their own threads and may still be inside a call when the
    // leg is torn down, so disposal waits for them on the same lock.
    private readonly PhoneConferenceAudio _audio = new();
    private readonly Lock _audioGate = new();
    private bool _audioDisposed;
    private readonly Action<PublishedTrack, string> _onEncrypted;
    private IConferenceSession? _session;
    private IConferenceSubscription? _subscription;
    private IConferenceAudioPublication? _publication;
    private int _disposed;

    private ConferenceLeg(Action<PublishedTrack, string> onEncrypted) => _onEncrypted = onEncrypted;

    public IConferenceSession Session => _session!;

    /// <summary>The audio path's counters (decoded, mixed, underruns), read under the same lock as the media.</summary>
    public PhoneConferenceAudioStatistics AudioStatistics
    {
        get
        {
            lock (_audioGate) return _audio.Statistics;
        }
    }

    /// <summary>Joins, subscribes to every audio track (now and later), publishes the caller, and wires the phone.</summary>
    public static async Task<ConferenceLeg> JoinAsync(IConferenceConnector connector, string conferenceId, string displayName,
        PhoneRtpSession rtp, PromptPlayer player, Action<PublishedTrack, string> onEncrypted, CancellationToken ct)
    {
        var leg = new ConferenceLeg(onEncrypted);
        try
        {
            leg._session = await connector.JoinAsync(new ConferenceJoinRequest(conferenceId, displayName, BotRole.SubscriberAndPublisher), ct).ConfigureAwait(false);
            leg._subscription = await leg._session.SubscribeAsync(new SubscriptionRequest(Audio: true, Video: false), leg, ct).ConfigureAwait(false);
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
        lock (_audioGate) _audioDisposed = true;
    }

    public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
    {
        lock (_audioGate) if (!_audioDisposed) _audio.OnPhoneAudio(frame8k, concealed);
    }

    public int Read(Span<short> frame8k)
    {
        lock (_audioGate) return _audioDisposed ? 0 : _audio.Read(frame8k);
    }

    public void OnFrame(in ConferenceFrame frame)
    {
        lock (_audioGate) if (!_audioDisposed) _audio.OnFrame(frame);
    }

    public void OnTrackStarted(PublishedTrack track)
    {
        lock (_audioGate) if (!_audioDisposed) _audio.OnTrackStarted(track);
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
        lock (_audioGate) if (!_audioDisposed) _audio.OnTrackEnded(track, reason);
    }

    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        lock (_audioGate) if (!_audioDisposed) _audio.OnTrackEncrypted(track, format);
        _onEncrypted(track, format);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_audioGate)
        {
            _audioDisposed = true;
            _audio.Publication = null;
        }
        if (_publication is not null) await _publication.DisposeAsync().ConfigureAwait(false);
        if (_subscription is not null) await _subscription.DisposeAsync().ConfigureAwait(false);
        if (_session is not null)
        {
            try { await _session.LeaveAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (ConferenceException) { }
            await _session.DisposeAsync().ConfigureAwait(false);
        }
        lock (_audioGate) _audio.Dispose();
    }
}
