using System.Text.Json.Nodes;
using System.Threading.Channels;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Microsoft.Extensions.Logging;

namespace Callbridge.Conference.Janus;

/// <summary>
/// The bot's presence in a VideoRoom: joined as a publisher that publishes nothing (the only way to
/// receive the room's notifications), kept in one serialized loop that applies Janus's events to the
/// roster, polls the room's E2EE policy, and rejoins after the connection to Janus is lost.
/// </summary>
internal sealed partial class JanusConferenceSession : IConferenceSession
{
    private readonly HttpClient _http;
    private readonly JanusConferenceOptions _options;

    /// <summary>The connector's room list, shared by every session's policy poll.</summary>
    private readonly JanusRoomList _rooms;
    private readonly long _room;
    private readonly ConferenceJoinRequest _request;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ConferenceRoster _roster = new();
    private readonly Channel<ConferenceEvent> _events = Channel.CreateUnbounded<ConferenceEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _snapshotGate = new();
    private IReadOnlyList<ConferenceParticipant> _participants = [];
    private readonly List<JanusConferenceSubscription> _subscriptions = [];
    private JanusConferencePublication? _publication;
    private volatile JanusRoomConnection? _connection;
    private long _ownId;
    private long _privateId;
    private bool? _requiresE2ee;
    private Task _loop = Task.CompletedTask;
    private int _left;

    private JanusConferenceSession(HttpClient http, JanusConferenceOptions options, JanusRoomList rooms, long room, ConferenceJoinRequest request, ILogger logger, ILoggerFactory loggers)
    {
        _http = http;
        _options = options;
        _rooms = rooms;
        _room = room;
        _request = request;
        _logger = logger;
        _loggers = loggers;
        _time = options.TimeProvider;
    }

    public string ConferenceId => _request.ConferenceId;

    public IReadOnlyList<ConferenceParticipant> Participants
    {
        get { lock (_snapshotGate) return _participants; }
    }

    public bool RequiresE2ee => _requiresE2ee ?? false;

    public ChannelReader<ConferenceEvent> Events => _events.Reader;

    internal JanusConferenceOptions Options => _options;

    internal long Room => _room;

    public string? ParticipantId => Interlocked.Read(ref _ownId) is var id and not 0 ? VideoRoomNotification.Id(id) : null;

    /// <summary>The current connection to Janus; null while rejoining or after leaving.</summary>
    internal JanusRoomConnection? Connection => _connection;

    /// <summary>Janus's private id of the bot's publisher participant, which ties its subscriber handles to it.</summary>
    internal long? PrivateId => Interlocked.Read(ref _privateId) is var id and not 0 ? id : null;

    public static async Task<IConferenceSession> JoinAsync(HttpClient http, JanusConferenceOptions options, JanusRoomList rooms, long room, ConferenceJoinRequest request,
        ILogger logger, ILoggerFactory loggers, CancellationToken ct)
    {
        var session = new JanusConferenceSession(http, options, rooms, room, request, logger, loggers);
        await session.ConnectAsync(ct).ConfigureAwait(false);
        session._loop = Task.Run(session.RunAsync);
        return session;
    }

    /// <summary>Opens a Janus session, reads the room's policy, joins, and brings the roster up to date.</summary>
    private async Task ConnectAsync(CancellationToken ct)
    {
        JanusRoomConnection connection = await JanusRoomConnection.OpenAsync(_http, _options, _loggers, ct).ConfigureAwait(false);
        try
        {
            VideoRoomInfo info = await connection.FindRoomAsync(_room, ct).ConfigureAwait(false)
                ?? throw new ConferenceException(ConferenceErrorKind.NotFound, $"Janus has no room {_room}.");
            var join = new JsonObject { ["request"] = "join", ["ptype"] = "publisher", ["room"] = _room, ["display"] = _request.DisplayName };
            JanusPluginResponse joined = await JanusRoomConnection.Translate(() => connection.Room.Handle.SendMessageAsync(join, cancellationToken: ct)).ConfigureAwait(false);
            if (joined.Data["id"] is not JsonValue idValue || !idValue.TryGetValue(out long ownId))
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus's 'joined' carries no participant id.");

            // The connection first: subscriptions follow the roster changes below on it.
            Interlocked.Exchange(ref _ownId, ownId);
            Interlocked.Exchange(ref _privateId, joined.Data["private_id"] is JsonValue p && p.TryGetValue(out long privateId) ? privateId : 0);
            _connection = connection;
            DateTimeOffset now = _time.GetUtcNow();
            var fresh = new ConferenceRoster();
            VideoRoomNotification.ApplyJoined(fresh, joined.Data, ownId, now);
            Publish(_roster.Replace(now, fresh.Participants));
            if (_requiresE2ee != info.RequireE2ee)
            {
                _requiresE2ee = info.RequireE2ee;
                Publish([new ConferencePolicyChanged(now, info.RequireE2ee)]);
            }
        }
        catch
        {
            if (ReferenceEquals(_connection, connection)) _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                string? lost = await FollowUntilLostAsync(stop).ConfigureAwait(false);
                if (lost is null) return; // ended or left
                LogLost(_room, lost);
                Publish([new ConferenceDisconnected(_time.GetUtcNow(), lost)]);
                if (!await ReconnectAsync(stop).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Follows the room until the connection is lost (returns why) or the session ends (returns null).</summary>
    private async Task<string?> FollowUntilLostAsync(CancellationToken stop)
    {
        JanusRoomConnection connection = _connection!;
        ChannelReader<JanusEvent> events = connection.Room.Handle.Events;
        DateTimeOffset nextPoll = _time.GetUtcNow() + _options.PolicyPollInterval;
        while (true)
        {
            TimeSpan untilPoll = nextPoll - _time.GetUtcNow();
            bool pollDue = untilPoll <= TimeSpan.Zero;
            if (!pollDue)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(untilPoll);
                try
                {
                    if (!await events.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        return connection.Session.ClosedReason?.Message ?? "the Janus session ended";
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    pollDue = true;
                }
            }

            while (events.TryRead(out JanusEvent? evt))
            {
                var changes = VideoRoomNotification.Apply(_roster, evt, _ownId, _time.GetUtcNow(), out string? ended);
                Publish(changes);
                if (ended is not null)
                {
                    await EndAsync(ended).ConfigureAwait(false);
                    return null;
                }
            }

            if (pollDue)
            {
                nextPoll = _time.GetUtcNow() + _options.PolicyPollInterval;
                try
                {
                    VideoRoomInfo? info = await _rooms.FindAsync(_room, connection, stop).ConfigureAwait(false);
                    if (info is null)
                    {
                        await EndAsync("the room no longer exists").ConfigureAwait(false);
                        return null;
                    }
                    if (_requiresE2ee != info.RequireE2ee)
                    {
                        _requiresE2ee = info.RequireE2ee;
                        Publish([new ConferencePolicyChanged(_time.GetUtcNow(), info.RequireE2ee)]);
                    }
                }
                catch (ConferenceException e) when (e.Kind == ConferenceErrorKind.SfuUnavailable)
                {
                    return e.Message;
                }
            }
        }
    }

    /// <summary>Rejoins with backoff until the room exists again on a reachable Janus, or gives up.</summary>
    private async Task<bool> ReconnectAsync(CancellationToken stop)
    {
        if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
        long started = _time.GetTimestamp();
        TimeSpan delay = _options.ReconnectDelay;
        for (int attempt = 1; ; attempt++)
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            try
            {
                await ConnectAsync(stop).ConfigureAwait(false);
                LogRejoined(_room, attempt);
                Publish([new ConferenceReconnected(_time.GetUtcNow(), attempt)]);
                return true;
            }
            catch (ConferenceException e) when (e.Kind is ConferenceErrorKind.SfuUnavailable or ConferenceErrorKind.NotFound)
            {
                if (_time.GetElapsedTime(started) > _options.ReconnectTimeout)
                {
                    await EndAsync($"could not rejoin within {_options.ReconnectTimeout.TotalSeconds:0} s: {e.Message}").ConfigureAwait(false);
                    return false;
                }
            }
            catch (ConferenceException e)
            {
                await EndAsync("rejoining was refused: " + e.Message).ConfigureAwait(false);
                return false;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private async Task EndAsync(string reason)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Publish(_roster.Replace(now, []));
        Publish([new ConferenceEnded(now, reason)]);
        if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }

    private void Publish(IReadOnlyList<ConferenceEvent> changes)
    {
        if (changes.Count == 0) return;
        lock (_snapshotGate) _participants = _roster.Participants;
        foreach (ConferenceEvent change in changes) _events.Writer.TryWrite(change);
        bool lost = changes.Any(c => c is ConferenceDisconnected);
        foreach (JanusConferenceSubscription subscription in Subscriptions())
        {
            if (lost) subscription.ConnectionLost();
            subscription.RequestSync();
        }
        JanusConferencePublication? publication;
        lock (_snapshotGate) publication = _publication;
        if (publication is not null && lost) publication.ConnectionLost();
        if (publication is not null && changes.Any(c => c is ConferenceReconnected)) publication.Reconnected();
    }

    public async Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _left) != 0, this);
        var subscription = new JanusConferenceSubscription(this, request, sink, _loggers.CreateLogger<JanusConferenceSubscription>());
        lock (_snapshotGate) _subscriptions.Add(subscription);
        try
        {
            await subscription.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    internal void Forget(JanusConferenceSubscription subscription)
    {
        lock (_snapshotGate) _subscriptions.Remove(subscription);
    }

    private JanusConferenceSubscription[] Subscriptions()
    {
        lock (_snapshotGate) return _subscriptions.ToArray();
    }

    public async Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await PublishAsync(new PublicationOptions(Video: false, options.Transform, options.MaxTransformOverhead), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IConferencePublication> PublishAsync(PublicationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _left) != 0, this);
        if (_request.Role != BotRole.SubscriberAndPublisher)
            throw new ConferenceException(ConferenceErrorKind.Rejected, "The bot joined as a subscriber only; publishing needs BotRole.SubscriberAndPublisher.");
        var publication = new JanusConferencePublication(this, options, _loggers.CreateLogger<JanusConferencePublication>());
        lock (_snapshotGate)
        {
            if (_publication is not null)
                throw new ConferenceException(ConferenceErrorKind.Rejected, "The bot already publishes; dispose that publication first.");
            _publication = publication;
        }
        try
        {
            await publication.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await publication.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return publication;
    }

    internal void Forget(JanusConferencePublication publication)
    {
        lock (_snapshotGate)
        {
            if (ReferenceEquals(_publication, publication)) _publication = null;
        }
    }

    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _left, 1) != 0) return;
        foreach (JanusConferenceSubscription subscription in Subscriptions())
            await subscription.DisposeAsync().ConfigureAwait(false);
        JanusConferencePublication? publication;
        lock (_snapshotGate) publication = _publication;
        if (publication is not null) await publication.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        JanusRoomConnection? connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            try
            {
                await connection.Room.LeaveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JanusException or HttpRequestException)
            {
                // Leaving a room whose Janus is gone: destroying the session below is all that remains.
            }
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        _events.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to Janus for room {Room}: {Reason}; rejoining")]
    private partial void LogLost(long room, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejoined room {Room} after {Attempts} attempt(s)")]
    private partial void LogRejoined(long room, int attempts);
}
