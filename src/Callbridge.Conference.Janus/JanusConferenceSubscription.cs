using System.Globalization;
using System.Threading.Channels;
using Callbridge.FrameCrypto.Classification;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.WebRtc;
using Microsoft.Extensions.Logging;
using MediaKind = Callbridge.WebRtc.TrackKind;

namespace Callbridge.Conference.Janus;

/// <summary>
/// The bot's receipt of other participants' media through one multistream subscriber handle on the session's
/// Janus connection and one <see cref="PeerConnection"/> answering Janus's offers. Signalling (roster changes,
/// Janus's <c>updated</c> offers, reconnects) runs on one serialized loop; frames reach the sink on the
/// connection's media loop, mapped to the publisher's track through Janus's <c>feed_id</c>/<c>feed_mid</c>.
/// </summary>
internal sealed partial class JanusConferenceSubscription : IConferenceSubscription
{
    private readonly JanusConferenceSession _session;
    private readonly SubscriptionRequest _request;
    private readonly IConferenceMediaSink _sink;
    private readonly JanusConferenceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ReceivedFrameHandler _onFrame;
    private readonly TrackEncryptedHandler _onEncrypted;
    private Task _loop = Task.CompletedTask;

    /// <summary>Replaced whole (never mutated) so the media loop reads a consistent set without locking.</summary>
    private volatile Binding[] _bindings = [];
    private VideoRoomClient? _handle;
    private PeerConnection? _connection;

    /// <summary>The session's Janus connection the handle lives on; another one means Janus was lost in between.</summary>
    private JanusRoomConnection? _on;

    /// <summary>Tracks asked for with <c>subscribe</c> whose offer has not bound them yet (not asked again meanwhile).</summary>
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
    private readonly List<Task> _pumps = [];

    /// <summary>Bindings Janus renegotiated away, waiting for the roster to say why (see <see cref="EndOrphans"/>).</summary>
    private readonly List<(Binding Binding, long Since)> _orphans = [];
    private int _syncQueued;
    private int _retryScheduled;
    private long _sinkFailures;
    private int _disposed;

    /// <summary>Wait before asking Janus again after a failed subscribe (e.g. 428 while a new feed's media is still coming up).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Tries of the first subscribe before SubscribeAsync gives up: 3 s covers a publisher's media setup.</summary>
    private const int StartAttempts = 3;

    /// <summary>
    /// How long a track Janus removed waits for the roster's reason: Janus notifies the room right after it
    /// renegotiates the subscribers, so 2 s is ample; past it the track ends as removed by the SFU.
    /// </summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(2);

    public JanusConferenceSubscription(JanusConferenceSession session, SubscriptionRequest request, IConferenceMediaSink sink, ILogger logger)
    {
        _session = session;
        _request = request;
        _sink = sink;
        _options = session.Options;
        _time = _options.TimeProvider;
        _logger = logger;
        _onFrame = OnFrame;
        _onEncrypted = OnEncrypted;
    }

    /// <summary>One m-line of the subscriber connection and the publisher's track it carries.</summary>
    private sealed class Binding(PublishedTrack track, long feed, string mid, RemoteTrack remote)
    {
        public PublishedTrack Track { get; } = track;

        public long Feed { get; } = feed;

        /// <summary>The subscriber-side mid (Janus's offer), not the publisher's.</summary>
        public string Mid { get; } = mid;

        public RemoteTrack Remote { get; } = remote;

        /// <summary>Set on the media loop at the first frame (OnTrackStarted sent).</summary>
        public bool Started { get; set; }

        /// <summary>OnTrackEnded was sent (at most once per binding).</summary>
        public bool Ended { get; set; }
    }

    public IReadOnlyList<PublishedTrack> Tracks => _bindings.Select(b => b.Track).ToArray();

    public IReadOnlyList<SubscribedTrackStatistics> Statistics => _bindings
        .Select(b => new SubscribedTrackStatistics(b.Track.TrackId, b.Remote.PacketsReceived, b.Remote.PacketsLost, b.Remote.FramesReceived,
            b.Remote.KeyFramesReceived, b.Remote.NacksSent, b.Remote.Jitter))
        .ToArray();

    /// <summary>Sink calls that threw (the exception is logged and the frame dropped; media goes on).</summary>
    internal long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>Bytes the media connection's loop allocated (frames to the sink included).</summary>
    internal long MediaLoopAllocatedBytes => _connection?.LoopAllocatedBytes ?? 0;

    internal PeerConnection? Connection => _connection;

    public bool RequestKeyFrame(string trackId)
    {
        PeerConnection? connection = _connection;
        foreach (Binding binding in _bindings)
        {
            if (binding.Track.TrackId == trackId)
            {
                return binding.Track.Kind == TrackKind.Video && connection is not null && connection.RequestKeyFrame(binding.Remote);
            }
        }

        return false;
    }

    /// <summary>Starts the loop and subscribes to every matching track the roster has now.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await RunOnLoopAsync(() => SyncAsync(cancellationToken)).ConfigureAwait(false);
                return;
            }
            catch (ConferenceException e) when (e.Kind == ConferenceErrorKind.Rejected && attempt < StartAttempts)
            {
                // Janus answers 428 "No such feed" while a publisher it just announced is still setting up its media.
                LogSyncFailed(e.Message);
                await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The roster or the connection changed: bring the subscription in line (coalesced, on the loop).</summary>
    public void RequestSync()
    {
        if (Interlocked.Exchange(ref _syncQueued, 1) != 0)
        {
            return;
        }

        _ = RunOnLoopAsync(async () =>
        {
            Volatile.Write(ref _syncQueued, 0);
            try
            {
                await SyncAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ConferenceException or OperationCanceledException or JanusException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    LogSyncFailed(e.Message);
                    ScheduleRetry();
                }
            }
        });
    }

    /// <summary>The session lost Janus: the media is gone with it; tracks end now, not at the rejoin.</summary>
    public void ConnectionLost() => _ = RunOnLoopAsync(() => DropConnectionAsync("the connection to Janus was lost"));

    private void ScheduleRetry()
    {
        if (Interlocked.Exchange(ref _retryScheduled, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(RetryDelay, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Volatile.Write(ref _retryScheduled, 0);
            }

            RequestSync();
        });
    }

    /// <summary>
    /// Desired tracks (the roster's, filtered by the request) against bound ones: tracks gone from the roster end
    /// (Janus renegotiates their m-lines away by itself), missing ones are subscribed on the existing handle, or
    /// a handle is opened when there is none on the current connection.
    /// </summary>
    private async Task SyncAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        JanusRoomConnection? now = _session.Connection;
        if (_handle is not null && !ReferenceEquals(_on, now))
        {
            await DropConnectionAsync("the connection to Janus was lost").ConfigureAwait(false);
        }

        if (now is null)
        {
            return;
        }

        IReadOnlyList<ConferenceParticipant> participants = _session.Participants;
        var desired = participants.SelectMany(p => p.Tracks).Where(_request.Includes).ToDictionary(t => t.TrackId, StringComparer.Ordinal);
        Binding[] bindings = _bindings;
        foreach (Binding gone in bindings.Where(b => !desired.ContainsKey(b.Track.TrackId)))
        {
            EndTrack(gone, participants.Any(p => p.ParticipantId == gone.Track.ParticipantId) ? "unpublished" : "participant left");
        }

        _bindings = bindings.Where(b => desired.ContainsKey(b.Track.TrackId)).ToArray();
        _requested.IntersectWith(desired.Keys);
        EndOrphans(participants);
        PublishedTrack[] missing = desired.Values.Where(t => !_bindings.Any(b => b.Track.TrackId == t.TrackId) && !_requested.Contains(t.TrackId)
            && !_orphans.Any(o => o.Binding.Track.TrackId == t.TrackId)).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        if (_handle is null)
        {
            await EstablishAsync(now, missing, ct).ConfigureAwait(false);
            return;
        }

        VideoRoomClient handle = _handle;
        VideoRoomFeedStream[] streams = missing.Select(t => new VideoRoomFeedStream(FeedOf(t), t.Mid)).ToArray();
        VideoRoomSubscriberUpdate update = await JanusRoomConnection.Translate(() => handle.SubscribeMoreAsync(streams, ct)).ConfigureAwait(false);
        foreach (PublishedTrack track in missing)
        {
            _requested.Add(track.TrackId);
        }

        LogSubscribing(missing.Length, update.Event);
        await ApplyUpdateAsync(update, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Janus's offer after a change of m-lines (<c>updated</c>, solicited or not): the connection renegotiates,
    /// the bindings follow Janus's stream list, and <c>start</c> carries the answer.
    /// </summary>
    private async Task ApplyUpdateAsync(VideoRoomSubscriberUpdate update, CancellationToken ct)
    {
        if (update.Jsep is not { Type: "offer" } offer || _connection is not { } peer || _handle is not { } handle)
        {
            return;
        }

        Binding[] before = _bindings;
        var replace = new List<string>();
        foreach (VideoRoomSubscriberStream stream in update.Streams)
        {
            if (stream.Mid is not null && Array.Find(before, b => b.Mid == stream.Mid) is { } old
                && (!stream.Active || stream.FeedId != old.Feed || stream.FeedMid != old.Track.Mid))
            {
                replace.Add(stream.Mid);
            }
        }

        PeerConnectionError error = peer.TryApplyOffer(offer.Sdp, replace, out string? answer);
        if (error == PeerConnectionError.StaleOffer)
        {
            return;
        }

        if (error != PeerConnectionError.None)
        {
            LogRenegotiationRefused(error);
            return;
        }

        Binding[] after = Bind(update.Streams, peer.Tracks, before);
        long now = _time.GetTimestamp();
        foreach (Binding gone in before.Where(b => !after.Contains(b)))
        {
            // Janus renegotiates a feed away before it tells the room why: the roster's next change gives the reason.
            _orphans.Add((gone, now));
        }

        if (_orphans.Count > 0)
        {
            EndOrphans(_session.Participants);
            ScheduleRetry();
        }

        _bindings = after;
        foreach (Binding bound in after)
        {
            _requested.Remove(bound.Track.TrackId);
        }

        await JanusRoomConnection.Translate(async () =>
        {
            await handle.StartAsync(JanusJsep.Answer(answer!), ct).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        LogRenegotiated(after.Length);
    }

    /// <summary>
    /// Ends tracks Janus took out of the subscription: with the roster's reason once it no longer lists them,
    /// as removed by the SFU when it still does after <see cref="OrphanGrace"/> (they may then be asked for again).
    /// </summary>
    private void EndOrphans(IReadOnlyList<ConferenceParticipant> participants)
    {
        long now = _time.GetTimestamp();
        _orphans.RemoveAll(orphan =>
        {
            PublishedTrack track = orphan.Binding.Track;
            ConferenceParticipant? participant = participants.FirstOrDefault(p => p.ParticipantId == track.ParticipantId);
            if (participant is null)
            {
                EndTrack(orphan.Binding, "participant left");
                return true;
            }

            if (!participant.Tracks.Any(t => t.TrackId == track.TrackId))
            {
                EndTrack(orphan.Binding, "unpublished");
                return true;
            }

            if (_time.GetElapsedTime(orphan.Since, now) > OrphanGrace)
            {
                EndTrack(orphan.Binding, "removed by the SFU");
                return true;
            }

            return false;
        });
    }

    /// <summary>One event of the subscriber handle, on the loop.</summary>
    private async Task OnHandleEventAsync(JanusEvent evt)
    {
        if (evt.Kind == JanusEventKind.Hangup)
        {
            // Janus closed the subscriber's PeerConnection: open a fresh one for what is still wanted.
            await DropConnectionAsync("the SFU closed the media connection").ConfigureAwait(false);
            RequestSync();
            return;
        }

        if (evt.Kind != JanusEventKind.PluginEvent || evt.Jsep is null)
        {
            return;
        }

        try
        {
            await ApplyUpdateAsync(VideoRoomClient.ReadSubscriberUpdate(evt.Data, evt.Jsep), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConferenceException or OperationCanceledException)
        {
            if (!_stop.IsCancellationRequested)
            {
                LogSyncFailed(e.Message);
                ScheduleRetry();
            }
        }
    }

    private void Pump(VideoRoomClient handle)
    {
        ChannelReader<JanusEvent> events = handle.Handle.Events;
        _pumps.Add(Task.Run(async () =>
        {
            try
            {
                await foreach (JanusEvent evt in events.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    if (ReferenceEquals(_handle, handle))
                    {
                        _ = RunOnLoopAsync(() => ReferenceEquals(_handle, handle) ? OnHandleEventAsync(evt) : Task.CompletedTask);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        }));
    }

    /// <summary>Ends every track, closes the media connection and lets the handle go (it may be dead with its Janus).</summary>
    private async Task DropConnectionAsync(string reason)
    {
        Binding[] bindings = [.. _bindings, .. _orphans.Select(o => o.Binding)];
        _bindings = [];
        _orphans.Clear();
        _requested.Clear();
        PeerConnection? connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (Binding binding in bindings)
        {
            EndTrack(binding, reason);
        }

        VideoRoomClient? handle = _handle;
        _handle = null;
        _on = null;
        if (handle is not null)
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
        }
    }

    private Task RunOnLoopAsync(Func<Task> action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = _work.Writer.TryWrite(async () =>
        {
            try
            {
                await action().ConfigureAwait(false);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        if (!posted)
        {
            done.TrySetException(new ObjectDisposedException(nameof(JanusConferenceSubscription)));
        }

        return done.Task;
    }

    private async Task RunAsync()
    {
        ChannelReader<Func<Task>> reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Func<Task>? work))
            {
                await work().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A subscriber handle on the session's current Janus connection, joined for every matching track, and a
    /// PeerConnection answering Janus's offer. Nothing is opened while no track matches.
    /// </summary>
    private async Task EstablishAsync(JanusRoomConnection connection, PublishedTrack[] wanted, CancellationToken ct)
    {
        VideoRoomClient handle = await JanusRoomConnection.Translate(() => VideoRoomClient.AttachAsync(connection.Session, ct)).ConfigureAwait(false);
        var peer = new PeerConnection(_options.CreatePeerConnectionOptions(_request.ReceiveBatchInterval)) { FrameReceived = _onFrame, TrackEncrypted = _onEncrypted };
        try
        {
            VideoRoomFeedStream[] streams = wanted.Select(t => new VideoRoomFeedStream(FeedOf(t), t.Mid)).ToArray();
            VideoRoomSubscriberUpdate attached = await JanusRoomConnection.Translate(() => handle.JoinSubscriberAsync(_session.Room, streams, _session.PrivateId, ct)).ConfigureAwait(false);
            if (attached.Jsep is not { Type: "offer" } offer)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus's 'attached' carries no offer.");
            }

            PeerConnectionError error = peer.TryApplyOffer(offer.Sdp, out string? answer);
            if (error != PeerConnectionError.None)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, $"Janus's subscriber offer was refused: {error} {peer.AnswerError}");
            }

            _bindings = Bind(attached.Streams, peer.Tracks, []);
            _connection = peer;
            _handle = handle;
            _on = connection;
            Pump(handle);
            await JanusRoomConnection.Translate(async () =>
            {
                await handle.StartAsync(JanusJsep.Answer(answer!), ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            PeerConnectionState state = await peer.WaitSettledAsync(_options.MediaConnectTimeout, ct).ConfigureAwait(false);
            if (state != PeerConnectionState.Connected)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, $"The media connection to Janus failed: {peer.Error} {peer.DtlsFailure}; {await peer.GetDiagnosticsAsync().ConfigureAwait(false)}");
            }

            LogSubscribed(_session.Room, _bindings.Length);
        }
        catch (Exception e) when (e is ConferenceException or TimeoutException or OperationCanceledException)
        {
            _bindings = [];
            _connection = null;
            _handle = null;
            _on = null;
            await peer.DisposeAsync().ConfigureAwait(false);
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
            if (e is TimeoutException)
            {
                // The inner PeerConnectionTimeoutException carries the diagnostics the message repeats.
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, $"The media connection to Janus was not up within {_options.MediaConnectTimeout.TotalSeconds:0} s: "
                    + ((e as PeerConnectionTimeoutException)?.Diagnostics.ToString() ?? "no diagnostics"), e);
            }

            throw;
        }
    }

    /// <summary>Pairs Janus's active m-lines with the connection's tracks (by subscriber mid) and the roster's tracks (by feed and feed mid).</summary>
    private Binding[] Bind(IReadOnlyList<VideoRoomSubscriberStream> streams, IReadOnlyList<RemoteTrack> remotes, Binding[] previous)
    {
        IReadOnlyList<ConferenceParticipant> participants = _session.Participants;
        var bindings = new List<Binding>();
        foreach (VideoRoomSubscriberStream stream in streams)
        {
            if (!stream.Active || stream.Mid is null || stream.FeedId is not { } feed || stream.FeedMid is null)
            {
                continue;
            }

            RemoteTrack? remote = remotes.FirstOrDefault(r => r.Mid == stream.Mid);
            if (remote is null)
            {
                continue;
            }

            if (Array.Find(previous, b => ReferenceEquals(b.Remote, remote) && b.Feed == feed && b.Track.Mid == stream.FeedMid) is { Ended: false } kept)
            {
                bindings.Add(kept);
                continue;
            }

            // Only what the roster still has and the request selects: a stream Janus has yet to take away is not a track.
            string participant = VideoRoomNotification.Id(feed);
            PublishedTrack? track = participants.FirstOrDefault(p => p.ParticipantId == participant)?.Tracks.FirstOrDefault(t => t.Mid == stream.FeedMid);
            if (track is null || !_request.Includes(track))
            {
                continue;
            }

            bindings.Add(new Binding(track, feed, stream.Mid, remote));
        }

        return bindings.ToArray();
    }

    private static long FeedOf(PublishedTrack track) => long.Parse(track.ParticipantId, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>On the media loop, for every complete frame: no allocation here.</summary>
    private void OnFrame(in ReceivedFrame frame)
    {
        Binding? binding = Find(frame.Track);
        if (binding is null || binding.Ended)
        {
            return;
        }

        try
        {
            if (!binding.Started)
            {
                binding.Started = true;
                _sink.OnTrackStarted(binding.Track);
            }

            RemoteTrack remote = frame.Track;
            _sink.OnFrame(new ConferenceFrame
            {
                Track = binding.Track,
                Ssrc = remote.MediaSsrc,
                RtpTimestamp = frame.Info.RtpTimestamp,
                ClockRate = remote.ClockRate,
                IsKeyFrame = frame.Info.IsKeyFrame,
                AfterLoss = (frame.Info.Flags & Media.FrameFlags.AfterLoss) != 0,
                LooksEncrypted = frame.LooksEncrypted,
                SenderTime = remote.TryGetSenderTime(frame.Info.RtpTimestamp, out DateTimeOffset senderTime) ? senderTime : null,
                ReceivedTimestamp = _time.GetTimestamp(),
                Data = frame.Data,
            });
        }
#pragma warning disable CA1031 // A failing sink must not stop the media loop of every other track.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Interlocked.Increment(ref _sinkFailures) == 1)
            {
                LogSinkFailed(e, binding.Track.TrackId);
            }
        }
    }

    private void OnEncrypted(RemoteTrack track, FrameFormat format, TimeSpan sinceFirstFrame)
    {
        if (Find(track) is not { } binding)
        {
            return;
        }

        LogEncrypted(binding.Track.TrackId, format, sinceFirstFrame.TotalMilliseconds);
        try
        {
            _sink.OnTrackEncrypted(binding.Track, format == FrameFormat.SFrame ? "sframe" : "jframe");
        }
#pragma warning disable CA1031 // As in OnFrame.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _sinkFailures);
            LogSinkFailed(e, binding.Track.TrackId);
        }
    }

    private Binding? Find(RemoteTrack remote)
    {
        foreach (Binding binding in _bindings)
        {
            if (ReferenceEquals(binding.Remote, remote))
            {
                return binding;
            }
        }

        return null;
    }

    private static async Task DetachQuietlyAsync(VideoRoomClient handle)
    {
        try
        {
            await handle.Handle.DetachAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
        {
            // The handle dies with its session anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Forget(this);
        await RunOnLoopAsync(TearDownAsync).ConfigureAwait(false);
        _work.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await Task.WhenAll(_pumps).ConfigureAwait(false);
        _stop.Dispose();
    }

    private Task TearDownAsync() => DropConnectionAsync("unsubscribed");

    /// <summary>OnTrackEnded once per binding, and only for a track whose start the sink saw.</summary>
    private void EndTrack(Binding binding, string reason)
    {
        if (binding.Ended)
        {
            return;
        }

        binding.Ended = true;
        if (!binding.Started)
        {
            return;
        }

        PublishedTrack track = binding.Track;
        try
        {
            _sink.OnTrackEnded(track, reason);
        }
#pragma warning disable CA1031 // As in OnFrame.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _sinkFailures);
            LogSinkFailed(e, track.TrackId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked Janus for {Tracks} more track(s); it answered '{Event}'")]
    private partial void LogSubscribing(int tracks, string? @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renegotiated the subscription: {Tracks} track(s)")]
    private partial void LogRenegotiated(int tracks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janus's renegotiation offer was refused: {Error}")]
    private partial void LogRenegotiationRefused(PeerConnectionError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bringing the subscription up to date failed, retrying: {Reason}")]
    private partial void LogSyncFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed in room {Room}: {Tracks} track(s)")]
    private partial void LogSubscribed(long room, int tracks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Track {TrackId} carries end-to-end encrypted frames ({Format}), detected {Milliseconds} ms after its first frame")]
    private partial void LogEncrypted(string trackId, FrameFormat format, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The media sink threw for track {TrackId}; the frame was dropped")]
    private partial void LogSinkFailed(Exception exception, string trackId);
}
