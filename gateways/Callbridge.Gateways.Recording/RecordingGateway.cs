using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Callbridge.Conference;
using Callbridge.Gateways.Recording.Spool;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;
using Callbridge.Storage;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Recording;

/// <summary>
/// Records one conference: every audio and video track of every participant, spooled as it arrives into
/// one WebM file per track (no transcoding; clusters of at most 1 s, written as they close and synced to disk
/// once a second for all recordings of the process), uploaded block by block
/// while recording, and finished into per-participant files, a composite and a manifest at the end.
/// </summary>
/// <remarks>
/// The media core calls the sink methods on its receive loop: they copy the frame into a pooled buffer and
/// queue it, never block. One loop owns the spool (files, clocks, counters); the end of the recording
/// stops intake, drains that loop, seals spool.json, then finishes in the background.
/// Frames the classifier marks as encrypted are never written, and a track the detector marks encrypted
/// stops all intake at once: the host then sends the leave-now order.
/// </remarks>
internal sealed partial class RecordingGateway : IGateway, IConferenceMediaSink
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QuietFlushAfter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan KeyFrameRequestInterval = TimeSpan.FromSeconds(1);

    /// <summary>A placement that moved this much is written to spool.json at the next tick: a millisecond is the file's timestamp unit.</summary>
    private static readonly TimeSpan ShiftRewriteStep = TimeSpan.FromMilliseconds(1);

    private readonly GatewayLaunch _launch;
    private readonly IConferenceSession _session;
    private readonly SpoolFolder _spool;
    private readonly SpoolSync _sync;
    private readonly RecordingOptions _options;
    private readonly IBlobSink _sink;
    private readonly RecordingFinalizer _finalizer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConferenceFollower _follower;
    private readonly Channel<SpoolItem> _queue;
    private readonly DateTimeOffset _startedAt;
    private readonly long _startTimestamp;
    private readonly string _blobPrefix;
    private readonly TaskCompletionSource<GatewayOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<(string Path, string Blob)> _newFiles = new();
    private readonly List<SpoolEncryptedTrack> _encrypted = [];

    // Loop-owned.
    private readonly Dictionary<string, TrackRecorder> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParticipantClock> _clocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _names = new(StringComparer.Ordinal);
    private readonly List<SpoolPresence> _presence = [];

    /// <summary>
    /// Track time zero, from the gateway's creation: the first frame's arrival. Joining and opening the media
    /// path take seconds that hold no media; the recording starts with its first frame. Loop-owned.
    /// </summary>
    private TimeSpan? _zero;

    private Task _loop = Task.CompletedTask;
    private Task _uploads = Task.CompletedTask;
    private Task _events = Task.CompletedTask;
    private ITimer? _ticker;
    private volatile IConferenceSubscription? _subscription;
    private long _framesLostInQueue;
    private Task<SpoolEnd>? _seal;

    /// <summary>Set before intake closes: a normal end writes each stream's held last frame, an end for E2EE drops it.</summary>
    private volatile bool _writeHeldAtEnd;

    public RecordingGateway(GatewayLaunch launch, IConferenceSession session, SpoolFolder spool, SpoolSync sync, RecordingOptions options, IBlobSink sink,
        RecordingFinalizer finalizer, TimeProvider time, ILogger logger)
    {
        _launch = launch;
        _session = session;
        _spool = spool;
        _sync = sync;
        _options = options;
        _sink = sink;
        _finalizer = finalizer;
        _time = time;
        _logger = logger;
        _follower = new ConferenceFollower(this, session, launch.Observer, time, logger);
        _startedAt = time.GetUtcNow();
        _startTimestamp = time.GetTimestamp();
        _blobPrefix = BlobPrefix(launch);
        _queue = Channel.CreateBounded<SpoolItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string GatewayId => _launch.GatewayId;

    public string ConferenceId => _launch.ConferenceId;

    public GatewayKind Kind => GatewayKind.Recording;

    public bool NeedsDecodedMedia => true;

    public GatewayRunState State => _follower.State;

    public Task<GatewayOutcome> Completion => _completion.Task;

    internal string SpoolPath => _spool.Path;

    internal string BlobPrefixForTests => _blobPrefix;

    /// <summary>Frames taken and dropped as encrypted so far (read from another thread: approximate).</summary>
    internal string DescribeForTests() => string.Join("; ", _tracks.Values.ToArray().Select(t =>
        $"{t.Track.TrackId}: received {t.FramesReceived}, written {t.FramesWritten}, encrypted dropped {t.EncryptedFramesDropped}"));

    /// <summary>Each track's placement terms (after the end: the loop is done with them).</summary>
    internal string DescribeTimingForTests() => string.Join(Environment.NewLine, _tracks.Values.OrderBy(t => t.Index).Select(t =>
        $"{t.Track.ParticipantId} {(t.IsVideo ? "video" : "audio")}: shift {t.Shift.TotalMilliseconds:F0} ms, sender reports vs least-delayed arrival {t.SenderLessArrival?.TotalMilliseconds:F0} ms; {t.ClockStats.Describe()}"));

    /// <summary>Tracks with at least one frame written (read from another thread: approximate).</summary>
    internal int TracksRecordingForTests => _tracks.Values.ToArray().Count(t => t.FramesWritten > 0);

    /// <summary>Frames dropped because the spool loop fell behind (the queue was full).</summary>
    internal long FramesLostInQueue => Interlocked.Read(ref _framesLostInQueue);

    internal static string BlobPrefix(GatewayLaunch launch) =>
        $"{NameSafety.Segment(launch.TenantId)}/{NameSafety.Segment(launch.ConferenceId)}/{NameSafety.Segment(launch.GatewayId)}";

    /// <summary>Writes the first spool.json, starts the loops and subscribes to every track.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (ConferenceParticipant p in _session.Participants)
        {
            _names[p.ParticipantId] = p.DisplayName;
            _presence.Add(new SpoolPresence(p.ParticipantId, p.DisplayName, "joined", 0));
        }
        _spool.WriteState(CurrentState(end: null, withCounters: false));
        _loop = Task.Run(RunSpoolLoopAsync, CancellationToken.None);
        _uploads = Task.Run(() => RunUploadLoopAsync(_stopping.Token), CancellationToken.None);
        _events = Task.Run(() => _follower.RunEventsAsync(OnConferenceEvent, _stopping.Token), CancellationToken.None);
        _ticker = _time.CreateTimer(_ => _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.Tick }), null, TickInterval, TickInterval);
        _subscription = await _session.SubscribeAsync(new SubscriptionRequest(Audio: true, Video: true) { ReceiveBatchInterval = _options.ReceiveBatchInterval }, this, cancellationToken).ConfigureAwait(false);
        _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.Subscribed });
        _follower.SetState(GatewayRunState.Running, "recording every audio and video track");
    }

    public async Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken)
    {
        _ = SealOnce("stopped", reasonCode: null, detail: "stopped through the API", GatewayRunState.Stopped);
        return await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops intake at once, drains and seals the spool (with the reason), puts a manifest that records the
    /// reason, and confirms; per-participant files, the composite and the uploads finish afterwards.
    /// </summary>
    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        DateTimeOffset stoppedAt = _follower.StopTakingMedia();
        SpoolEnd end = await SealOnce("left-for-e2ee", order.Decision.ReasonCode, order.Decision.HostMessage, GatewayRunState.LeftForE2ee)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        bool recorded = string.Equals(end.ReasonCode, order.Decision.ReasonCode, StringComparison.Ordinal);
        try
        {
            // The manifest says why at once; the final one replaces it when the deliverables are up.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(3));
            await _finalizer.PutProvisionalManifestAsync(_spool, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or BlobStorageException or HttpRequestException or IOException)
        {
            // The reason is sealed in spool.json and goes into the final manifest; the store is only late.
            LogProvisionalManifestFailed(_logger, GatewayId, e.Message);
        }
        return new LeaveConfirmation(GatewayId, recorded ? order.Decision.ReasonCode : end.ReasonCode ?? "", stoppedAt,
            FinalizedPriorOutput: true, ReasonRecordedIn: "recording manifest");
    }

    public async ValueTask DisposeAsync()
    {
        _ = SealOnce("stopped", null, "gateway disposed", GatewayRunState.Stopped);
        try
        {
            await _completion.Task.ConfigureAwait(false);
        }
        finally
        {
            _stopping.Dispose();
        }
    }

    // ---- IConferenceMediaSink: the media core's receive loop ----

    public void OnFrame(in ConferenceFrame frame)
    {
        if (!_follower.TakingMedia) return;
        if (frame.LooksEncrypted)
        {
            // Never a byte of ciphertext: counted, not copied.
            _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.Frame, Track = frame.Track, Buffer = null, Length = -1 });
            return;
        }
        if (frame.Data.IsEmpty) return;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(frame.Data.Length);
        frame.Data.CopyTo(buffer);
        var item = new SpoolItem
        {
            Kind = SpoolItemKind.Frame,
            Track = frame.Track,
            Buffer = buffer,
            Length = frame.Data.Length,
            Ssrc = frame.Ssrc,
            RtpTimestamp = frame.RtpTimestamp,
            ClockRate = frame.ClockRate,
            IsKeyFrame = frame.IsKeyFrame,
            AfterLoss = frame.AfterLoss,
            SenderTime = frame.SenderTime,
            ReceivedTimestamp = frame.ReceivedTimestamp,
        };
        if (!_queue.Writer.TryWrite(item))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Increment(ref _framesLostInQueue);
        }
    }

    public void OnTrackStarted(PublishedTrack track) =>
        _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.TrackStarted, Track = track });

    public void OnTrackEnded(PublishedTrack track, string reason) =>
        _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.TrackEnded, Track = track, Text = reason });

    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        ArgumentNullException.ThrowIfNull(track);
        _follower.StopTakingMedia();
        lock (_gate) _encrypted.Add(new SpoolEncryptedTrack(track.ParticipantId, track.TrackId, format, _time.GetUtcNow()));
        _follower.ReportEncryptedTrack(track, format);
    }

    // ---- the spool loop ----

    private async Task RunSpoolLoopAsync()
    {
        try
        {
            await foreach (SpoolItem item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    Handle(item);
                }
                catch (IOException e)
                {
                    // A full or failing disk: the track's earlier clusters stay valid; the end of the recording says so.
                    LogSpoolWriteFailed(_logger, GatewayId, item.Track?.TrackId ?? "-", e.Message);
                }
                finally
                {
                    if (item.Buffer is not null) ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
            if (_writeHeldAtEnd)
            {
                TimeSpan now = _time.GetElapsedTime(_startTimestamp) - (_zero ?? TimeSpan.Zero);
                foreach (TrackRecorder track in _tracks.Values)
                {
                    try
                    {
                        WriteHeld(track, now);
                    }
                    catch (IOException e)
                    {
                        LogSpoolWriteFailed(_logger, GatewayId, track.Track.TrackId, e.Message);
                    }
                }
            }
        }
        finally
        {
            foreach (TrackRecorder track in _tracks.Values)
            {
                try
                {
                    track.Dispose();
                }
                catch (IOException e)
                {
                    LogSpoolWriteFailed(_logger, GatewayId, track.Track.TrackId, e.Message);
                }
            }
        }
    }

    private void Handle(in SpoolItem item)
    {
        TimeSpan now = _time.GetElapsedTime(_startTimestamp) - (_zero ?? TimeSpan.Zero);
        switch (item.Kind)
        {
            case SpoolItemKind.Frame:
                HandleFrame(item, now);
                break;
            case SpoolItemKind.TrackStarted:
                if (Recorder(item.Track!) is { } started && started.IsVideo) RequestKeyFrame(started, now);
                break;
            case SpoolItemKind.TrackEnded:
                if (_tracks.TryGetValue(item.Track!.TrackId, out TrackRecorder? ended))
                {
                    WriteHeld(ended, now);
                    ended.MarkEnded();
                    ended.Flush();
                    _sync.MarkWritten();
                }
                break;
            case SpoolItemKind.Subscribed:
                foreach (TrackRecorder video in _tracks.Values.Where(t => t.IsVideo && !t.HasFile)) RequestKeyFrame(video, now);
                break;
            case SpoolItemKind.Joined:
                _names[item.ParticipantId!] = item.Text;
                _presence.Add(new SpoolPresence(item.ParticipantId!, item.Text, "joined", Math.Max(0, now.TotalSeconds)));
                _spool.WriteState(CurrentState(end: null, withCounters: false));
                break;
            case SpoolItemKind.Left:
                _presence.Add(new SpoolPresence(item.ParticipantId!, _names.GetValueOrDefault(item.ParticipantId!), "left", Math.Max(0, now.TotalSeconds)));
                _spool.WriteState(CurrentState(end: null, withCounters: false));
                break;
            case SpoolItemKind.Tick:
                // A track that went quiet would keep its last frames in memory: put them on disk.
                foreach (TrackRecorder track in _tracks.Values)
                {
                    if (track.HasUnflushed && now - track.LastArrival >= QuietFlushAfter)
                    {
                        track.Flush();
                        _sync.MarkWritten();
                    }
                }
                _sync.SyncIfDue();
                // A better placement is kept in spool.json, so a recording finished after a crash uses it too.
                if (_tracks.Values.Any(t => t.HasFile && (t.Shift - t.SpooledShift).Duration() >= ShiftRewriteStep))
                {
                    _spool.WriteState(CurrentState(end: null, withCounters: false));
                }
                break;
        }
    }

    private void HandleFrame(in SpoolItem item, TimeSpan now)
    {
        TrackRecorder? track = Recorder(item.Track!);
        if (track is null) return;
        if (item.Buffer is null)
        {
            // The classifier marked this frame: a held first frame of the stream was ciphertext too.
            track.EncryptedFramesDropped += track.DropHeld() ? 2 : 1;
            track.Distrust();
            return;
        }
        TimeSpan arrival = _time.GetElapsedTime(_startTimestamp, item.ReceivedTimestamp);
        // Every frame waits for the next one of its stream: JFrame shows itself only from its second frame on
        // (its trailer repeats the previous frame's IV), at the start of a stream and when a publisher turns
        // its transform on mid-stream alike. A frame is written once the next one came clear.
        if (track.TryConfirm(item.Ssrc, out SpoolItem held, out TimeSpan heldArrival)) WriteFrame(track, held, heldArrival, now);
        if (track.Hold(item, arrival)) track.FramesDroppedUnconfirmed++;
    }

    /// <summary>A stream that ended (or a recording that ends normally) has no next frame: its last one is written.</summary>
    private void WriteHeld(TrackRecorder track, TimeSpan now)
    {
        if (track.TryTakeHeld(out SpoolItem held, out TimeSpan arrival)) WriteFrame(track, held, arrival, now);
    }

    private void WriteFrame(TrackRecorder track, in SpoolItem item, TimeSpan arrival, TimeSpan now)
    {
        _zero ??= arrival;
        TrackFrameResult result = track.Write(item, arrival - _zero.Value, StartedAt, _options.GapThreshold);
        if (result is TrackFrameResult.Written or TrackFrameResult.WrittenFirst) _sync.MarkWritten();
        switch (result)
        {
            case TrackFrameResult.WrittenFirst:
                _spool.WriteState(CurrentState(end: null, withCounters: false));
                _newFiles.Enqueue((track.FilePath, TrackBlob(track.FileName)));
                break;
            case TrackFrameResult.NeedsKeyFrame:
                RequestKeyFrame(track, now);
                break;
        }
    }

    private TrackRecorder? Recorder(PublishedTrack track)
    {
        if (_tracks.TryGetValue(track.TrackId, out TrackRecorder? known)) return known;
        // Only what the writer can store without transcoding.
        bool supported = track.Kind == TrackKind.Audio
            ? track.Codec is null or "opus"
            : track.Codec is null or "vp8";
        if (!supported)
        {
            LogUnsupportedCodec(_logger, GatewayId, track.TrackId, track.Codec ?? "?");
            return null;
        }
        if (!_clocks.TryGetValue(track.ParticipantId, out ParticipantClock? clock)) _clocks[track.ParticipantId] = clock = new ParticipantClock();
        int index = _tracks.Count;
        string file = string.Create(CultureInfo.InvariantCulture,
            $"{index:D3}-{NameSafety.Segment(track.ParticipantId)}-{(track.Kind == TrackKind.Video ? "video" : "audio")}.webm");
        var recorder = new TrackRecorder(track, index, file, _spool.PathOf(file), clock);
        _tracks[track.TrackId] = recorder;
        return recorder;
    }

    private void RequestKeyFrame(TrackRecorder track, TimeSpan now)
    {
        if (track.LastKeyFrameRequest is { } last && now - last < KeyFrameRequestInterval) return;
        if (_subscription is not { } subscription) return;
        if (subscription.RequestKeyFrame(track.Track.TrackId))
        {
            track.LastKeyFrameRequest = now;
            track.KeyFrameRequests++;
        }
    }

    /// <summary>Wall-clock time of track time zero.</summary>
    private DateTimeOffset StartedAt => _startedAt + (_zero ?? TimeSpan.Zero);

    private string TrackBlob(string fileName) => $"{_blobPrefix}/tracks/{fileName}";

    private SpoolState CurrentState(SpoolEnd? end, bool withCounters) => new(
        1, _launch.TenantId, _launch.ConferenceId, _launch.GatewayId, StartedAt, _blobPrefix,
        [.. _tracks.Values.Where(t => t.HasFile).OrderBy(t => t.Index)
            .Select(t => t.ToSpool(_names.GetValueOrDefault(t.Track.ParticipantId) ?? LookUpName(t.Track.ParticipantId), withCounters))],
        [.. _presence], end);

    private string? LookUpName(string participantId) =>
        _session.Participants.FirstOrDefault(p => p.ParticipantId == participantId)?.DisplayName;

    // ---- uploads while recording ----

    private async Task RunUploadLoopAsync(CancellationToken cancellationToken)
    {
        var uploads = new List<(string Path, string Blob, GrowingFileUpload? Upload)>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.UploadInterval, _time, cancellationToken).ConfigureAwait(false);
                while (_newFiles.TryDequeue(out var file)) uploads.Add((file.Path, file.Blob, null));
                for (int i = 0; i < uploads.Count; i++)
                {
                    var (path, blob, upload) = uploads[i];
                    try
                    {
                        upload ??= await GrowingFileUpload.OpenAsync(_sink, path, blob, "video/webm", _options.UploadBlockSize, cancellationToken).ConfigureAwait(false);
                        uploads[i] = (path, blob, upload);
                        await upload.PumpAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is BlobStorageException or HttpRequestException or IOException
                        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        // The store is away: the blocks go up on a later round or at the end.
                        LogUploadDeferred(_logger, blob, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // ---- conference events ----

    private void OnConferenceEvent(ConferenceEvent e)
    {
        switch (e)
        {
            case ParticipantJoined joined:
                _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.Joined, ParticipantId = joined.Participant.ParticipantId, Text = joined.Participant.DisplayName });
                break;
            case ParticipantLeft left:
                _queue.Writer.TryWrite(new SpoolItem { Kind = SpoolItemKind.Left, ParticipantId = left.ParticipantId });
                break;
            case ConferenceEnded ended:
                _ = SealOnce("conference-ended", null, ended.Reason, GatewayRunState.Stopped);
                break;
        }
    }

    // ---- the end ----

    private Task<SpoolEnd> SealOnce(string reason, string? reasonCode, string? detail, GatewayRunState finalState)
    {
        lock (_gate)
        {
            if (_seal is not null) return _seal;
            _seal = SealAsync(reason, reasonCode, detail, finalState);
            return _seal;
        }
    }

    private async Task<SpoolEnd> SealAsync(string reason, string? reasonCode, string? detail, GatewayRunState finalState)
    {
        await Task.Yield();
        DateTimeOffset mediaStoppedAt = _follower.StopTakingMedia();
        _follower.SetState(GatewayRunState.Stopping, detail);
        await _follower.LeaveAsync(_subscription).ConfigureAwait(false);
        _ticker?.Dispose();
        lock (_gate) _writeHeldAtEnd = finalState != GatewayRunState.LeftForE2ee && _encrypted.Count == 0;
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _uploads.ConfigureAwait(false);
        await _events.ConfigureAwait(false);

        foreach (TrackRecorder track in _tracks.Values)
        {
            LogTrackTiming(_logger, GatewayId, track.Track.TrackId, track.Shift.TotalMilliseconds, track.ClockStats.Describe());
        }
        SpoolEncryptedTrack[] encrypted;
        lock (_gate) encrypted = [.. _encrypted];
        var end = new SpoolEnd(_time.GetUtcNow(), mediaStoppedAt, reason, reasonCode, detail, FramesLostInQueue, encrypted);
        // The loop closed every track file: they reach the disk before spool.json says the recording is sealed.
        _sync.MarkWritten();
        _sync.SyncNow();
        _spool.WriteState(CurrentState(end, withCounters: true));
        _ = Task.Run(() => FinishAsync(end, finalState));
        return end;
    }

    private async Task FinishAsync(SpoolEnd end, GatewayRunState finalState)
    {
        GatewayOutcome outcome;
        try
        {
            RecordingResult result = await _finalizer.FinalizeAsync(_spool, CancellationToken.None).ConfigureAwait(false);
            outcome = new GatewayOutcome(finalState, end.ReasonCode, result.Summary, result.Outputs);
        }
#pragma warning disable CA1031 // Completion never faults: any failure is the outcome, and the spool stays for the next start.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFinalizeFailed(_logger, GatewayId, e.Message);
            outcome = new GatewayOutcome(GatewayRunState.Failed, end.ReasonCode,
                $"The recording was sealed on local disk but could not be finished ({e.Message}); it is finished on the next start.", []);
        }
        _follower.SetState(outcome.FinalState, outcome.Summary);
        _completion.TrySetResult(outcome);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {GatewayId}: spool write for {TrackId} failed: {Error}")]
    private static partial void LogSpoolWriteFailed(ILogger logger, string gatewayId, string trackId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {GatewayId}: track {TrackId} uses {Codec}, which is not recorded")]
    private static partial void LogUnsupportedCodec(ILogger logger, string gatewayId, string trackId, string codec);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {GatewayId}: track {TrackId} shifted {ShiftMs} ms; {Timing}")]
    private static partial void LogTrackTiming(ILogger logger, string gatewayId, string trackId, double shiftMs, string timing);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload of {Blob} deferred: {Error}")]
    private static partial void LogUploadDeferred(ILogger logger, string blob, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {GatewayId}: the provisional manifest could not be stored yet: {Error}")]
    private static partial void LogProvisionalManifestFailed(ILogger logger, string gatewayId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {GatewayId} could not be finished: {Error}")]
    private static partial void LogFinalizeFailed(ILogger logger, string gatewayId, string error);
}
