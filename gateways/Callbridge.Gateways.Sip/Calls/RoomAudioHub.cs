using Callbridge.Conference;
using Callbridge.PhoneMedia;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// The conference audio of one room for every phone call the bridge has in it: one subscribe-only session and
/// one audio subscription, every track decoded once (<see cref="RoomAudio"/>), and per call a mix that leaves
/// out that call's own caller. The room's callers hear each other in the bridge (<see cref="RoomAudioMember.Speak"/>),
/// so the subscription leaves them out: the SFU sends the bridge only what others publish. Reference-counted by
/// the calls (<see cref="RoomAudioHubs"/>); the last call leaving closes it.
/// </summary>
/// <remarks>
/// <para>Which participant is a call's own: each call publishes as its own participant through its own session,
/// whose <see cref="IConferenceSession.ParticipantId"/> is known before it publishes, so a track is that call's
/// caller exactly when its participant id is the call session's (two callers with the same masked number are
/// told apart). The subscription asks <see cref="IsLocalCaller"/> each time it follows the roster, and a call
/// is added before it publishes, so its track is never subscribed. Should a connector take it anyway, the room
/// asks the same question when the track would take a slot, and ignores it: no call hears that caller twice, and
/// its own call does not hear it at all.</para>
/// <para>Threads: the sink calls come from the media core's receive loop; calls join and leave from their own
/// tasks; the mixes are read on the media clock (through <see cref="RoomAudio"/>'s lock). <c>_gate</c> guards
/// the call list and is never held while calling out (logging, a call's handlers, the conference, the room);
/// the room holds its own lock while it asks <see cref="IsLocalCaller"/>, so the order is always room, then hub.</para>
/// </remarks>
internal sealed partial class RoomAudioHub : IConferenceMediaSink, IAsyncDisposable
{
    /// <summary>What the hub's own participant is called in the conference (it publishes nothing).</summary>
    internal const string DisplayName = "Phone bridge audio";

    private readonly Lock _gate = new();
    private readonly IConferenceConnector _connector;
    private readonly ILogger _logger;
    private readonly List<Member> _calls = [];
    private readonly CancellationTokenSource _life = new();
    private IConferenceSession? _session;
    private IConferenceSubscription? _subscription;
    private int _closed;

    public RoomAudioHub(string conferenceId, IConferenceConnector connector, PhoneConferenceAudioOptions options, ILogger logger)
    {
        ConferenceId = conferenceId;
        _connector = connector;
        _logger = logger;
        Room = new RoomAudio(options, IsLocalCaller);
    }

    public string ConferenceId { get; }

    public RoomAudio Room { get; }

    /// <summary>Calls counted by <see cref="RoomAudioHubs"/>; changed only under its lock.</summary>
    internal int Users { get; set; }

    /// <summary>The join and subscription; every call of the room awaits the same one.</summary>
    internal Task? Started { get; set; }

    /// <summary>The hub lost its subscription and could not get it back: new calls get a new hub.</summary>
    internal bool Failed { get; private set; }

    /// <summary>The subscription (null before it is up); exposed for figures and tests.</summary>
    internal IConferenceSubscription? Subscription => _subscription;

    internal IConferenceSession? Session => _session;

    /// <summary>Joins as a subscribe-only participant and subscribes to every audio track, now and later.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SubscribeAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(ConferenceId);
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        IConferenceSession session = await _connector.JoinAsync(new ConferenceJoinRequest(ConferenceId, DisplayName, BotRole.Subscriber), cancellationToken).ConfigureAwait(false);
        try
        {
            _session = session;
            var request = new SubscriptionRequest(Audio: true, Video: false) { Excludes = IsLocalCaller };
            _subscription = await session.SubscribeAsync(request, this, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _session = null;
            await LeaveQuietlyAsync(session).ConfigureAwait(false);
            throw;
        }

        _ = WatchAsync(session);
    }

    /// <summary>
    /// Adds a call: from now on the room's tracks are mixed for it, and the participant it publishes as (through
    /// <paramref name="callSession"/>) is a local caller, heard from its ring. Call it before the call publishes.
    /// </summary>
    public RoomAudioMember Add(IConferenceSession callSession, Action<PublishedTrack, string> onEncrypted, Action<string> onLost)
    {
        var member = new Member(Room.AddMember(), callSession, onEncrypted, onLost);
        lock (_gate) _calls.Add(member);
        return member.Audio;
    }

    /// <summary>The call left: its mix and its caller's ring go.</summary>
    public void Remove(RoomAudioMember audio)
    {
        lock (_gate)
        {
            if (_calls.RemoveAll(m => ReferenceEquals(m.Audio, audio)) == 0)
            {
                return;
            }
        }

        audio.Dispose();
    }

    /// <summary>A participant that is one of the room's calls here: the room hears it through its call, not the SFU.</summary>
    internal bool IsLocalCaller(string participantId)
    {
        lock (_gate)
        {
            foreach (Member call in _calls)
            {
                if (string.Equals(call.Session.ParticipantId, participantId, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public void OnFrame(in ConferenceFrame frame) => Room.OnFrame(frame);

    public void OnTrackStarted(PublishedTrack track) => Room.OnTrackStarted(track);

    public void OnTrackEnded(PublishedTrack track, string reason) => Room.OnTrackEnded(track, reason);

    /// <summary>An E2EE track: out of every mix, and every call of the room hears of it (each decides to leave as it would alone).</summary>
    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        Room.OnTrackEncrypted(track, format);
        Member[] calls;
        lock (_gate) calls = [.. _calls];
        LogEncrypted(ConferenceId, track.TrackId, format, calls.Length);
        foreach (Member call in calls)
        {
            call.OnEncrypted(track, format);
        }
    }

    /// <summary>Follows the hub's own session: when it ends or closes while calls still need it, the subscription is lost.</summary>
    private async Task WatchAsync(IConferenceSession session)
    {
        string reason = "the conference session closed";
        try
        {
            await foreach (ConferenceEvent e in session.Events.ReadAllAsync(_life.Token).ConfigureAwait(false))
            {
                if (e is ConferenceEnded ended)
                {
                    reason = "the conference ended: " + ended.Reason;
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _closed) != 0 || !ReferenceEquals(session, _session))
        {
            return;
        }

        await RecoverAsync(reason).ConfigureAwait(false);
    }

    /// <summary>Subscribes once more with a new session; if that fails, every call of the room ends (it would hear nothing).</summary>
    private async Task RecoverAsync(string reason)
    {
        int calls;
        lock (_gate) calls = _calls.Count;
        LogLost(ConferenceId, reason, calls);
        IConferenceSubscription? subscription = _subscription;
        IConferenceSession? session = _session;
        _subscription = null;
        _session = null;
        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (session is not null)
        {
            await LeaveQuietlyAsync(session).ConfigureAwait(false);
        }

        Room.ReleaseTracks();
        try
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
            bound.CancelAfter(TimeSpan.FromSeconds(15));
            await SubscribeAsync(bound.Token).ConfigureAwait(false);
            LogRecovered(ConferenceId);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the connector throws (refused, unreachable, timed out), the room has no audio any more.
            if (Volatile.Read(ref _closed) != 0)
            {
                return;
            }

            Failed = true;
            Member[] members;
            lock (_gate) members = [.. _calls];
            LogGaveUp(e, ConferenceId, members.Length);
            foreach (Member call in members)
            {
                call.OnLost(reason);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _life.CancelAsync().ConfigureAwait(false);
        IConferenceSubscription? subscription = _subscription;
        IConferenceSession? session = _session;
        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        if (session is not null)
        {
            await LeaveQuietlyAsync(session).ConfigureAwait(false);
        }

        Room.Dispose();
        _life.Dispose();
        LogClosed(ConferenceId);
    }

    private static async Task LeaveQuietlyAsync(IConferenceSession session)
    {
        try
        {
            await session.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConferenceException)
        {
        }

        await session.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone audio of conference {ConferenceId}: subscribed once for the room's calls")]
    private partial void LogStarted(string conferenceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone audio of conference {ConferenceId}: closed (its last call left)")]
    private partial void LogClosed(string conferenceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Phone audio of conference {ConferenceId}: track {TrackId} is end-to-end encrypted ({Format}); telling the room's {Calls} calls")]
    private partial void LogEncrypted(string conferenceId, string trackId, string format, int calls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Phone audio of conference {ConferenceId}: the shared subscription was lost ({Reason}); subscribing again for its {Calls} calls")]
    private partial void LogLost(string conferenceId, string reason, int calls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone audio of conference {ConferenceId}: subscribed again")]
    private partial void LogRecovered(string conferenceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Phone audio of conference {ConferenceId}: could not subscribe again; ending its {Calls} calls")]
    private partial void LogGaveUp(Exception e, string conferenceId, int calls);

    /// <summary>One call as the hub knows it.</summary>
    private sealed class Member(RoomAudioMember audio, IConferenceSession session, Action<PublishedTrack, string> onEncrypted, Action<string> onLost)
    {
        public RoomAudioMember Audio { get; } = audio;

        /// <summary>The call's session: its participant id is the caller's, the current one after a rejoin.</summary>
        public IConferenceSession Session { get; } = session;

        public Action<PublishedTrack, string> OnEncrypted { get; } = onEncrypted;

        public Action<string> OnLost { get; } = onLost;
    }
}
