using System.Collections.Concurrent;
using Callbridge.Captions;
using Callbridge.Captions.Transcript;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;
using Callbridge.Speech.Recognition;
using Callbridge.Storage;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Captions;

/// <summary>
/// Captions one conference: every participant's audio track (the first one each publishes) goes through the
/// shared <see cref="CaptionPipeline"/>; every partial and final goes to the host through
/// <see cref="IGatewayObserver.OnCaption"/>; at the end the transcript is stored as WebVTT and JSON.
/// Frames the media core marks as encrypted are dropped unread; a track found encrypted stops intake at once.
/// </summary>
internal sealed partial class CaptionsGateway : IGateway, IConferenceMediaSink, ICaptionListener
{
    private readonly GatewayLaunch _launch;
    private readonly IConferenceSession _session;
    private readonly CaptionsOptions _options;
    private readonly IBlobSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConferenceFollower _follower;
    private readonly CaptionPipeline _pipeline;
    private readonly ConcurrentDictionary<string, string?> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _captionedTrack = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<GatewayOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private IConferenceSubscription? _subscription;
    private Task _events = Task.CompletedTask;
    private Task<GatewayOutcome>? _finish;
    private long _encryptedFramesDropped;
    private long _captions;

    public CaptionsGateway(GatewayLaunch launch, IConferenceSession session, CaptionsOptions options, IBlobSink sink,
        IStreamingRecognizer recognizer, ISpeechEngineHealth engineHealth, TimeProvider time, ILogger logger)
    {
        _launch = launch;
        _session = session;
        _options = options;
        _sink = sink;
        _time = time;
        _logger = logger;
        _follower = new ConferenceFollower(this, session, launch.Observer, time, logger);
        // Waiting for a stream to open counts against the same allowance as falling behind, with room for a cold model load.
        TimeSpan opening = options.MaxBacklog > TimeSpan.FromSeconds(10) ? options.MaxBacklog : TimeSpan.FromSeconds(10);
        _pipeline = new CaptionPipeline(recognizer, this, new CaptionPipelineOptions { MaxOpeningBacklog = opening }, engineHealth, time);
    }

    public string GatewayId => _launch.GatewayId;

    public string ConferenceId => _launch.ConferenceId;

    public GatewayKind Kind => GatewayKind.ServerCaptions;

    public bool NeedsDecodedMedia => true;

    public GatewayRunState State => _follower.State;

    public Task<GatewayOutcome> Completion => _completion.Task;

    internal CaptionPipeline Pipeline => _pipeline;

    /// <summary>Frames dropped unread because the media core marked them as encrypted.</summary>
    internal long EncryptedFramesDropped => Interlocked.Read(ref _encryptedFramesDropped);

    internal string BlobPrefix =>
        $"{NameSafety.Segment(_launch.TenantId)}/{NameSafety.Segment(_launch.ConferenceId)}/{NameSafety.Segment(_launch.GatewayId)}";

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (ConferenceParticipant p in _session.Participants)
        {
            _names[p.ParticipantId] = p.DisplayName;
        }

        _events = Task.Run(() => _follower.RunEventsAsync(OnConferenceEvent, _stopping.Token), CancellationToken.None);
        _subscription = await _session.SubscribeAsync(new SubscriptionRequest(Audio: true, Video: false), this, cancellationToken).ConfigureAwait(false);
        _follower.SetState(GatewayRunState.Running, "captioning every speaker");
    }

    public Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken) =>
        FinishOnce(GatewayRunState.Stopped, reasonCode: null, "Stopped through the API.", immediate: false).WaitAsync(cancellationToken);

    /// <summary>Stops intake and recognition at once, stores the transcript with the reason, then confirms.</summary>
    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        DateTimeOffset stoppedAt = _follower.StopTakingMedia();
        GatewayOutcome outcome = await FinishOnce(GatewayRunState.LeftForE2ee, order.Decision.ReasonCode, order.Decision.HostMessage, immediate: true)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        TranscriptStop? stop = _pipeline.Transcript.Stop;
        bool stored = outcome.FinalState == GatewayRunState.LeftForE2ee && outcome.Outputs.Count == 2;
        return new LeaveConfirmation(GatewayId, stop?.ReasonCode ?? "", stoppedAt, FinalizedPriorOutput: stored, ReasonRecordedIn: "transcript");
    }

    public async ValueTask DisposeAsync()
    {
        await FinishOnce(GatewayRunState.Stopped, null, "The gateway was disposed.", immediate: false).ConfigureAwait(false);
        _stopping.Dispose();
    }

    // ---- IConferenceMediaSink: the media core's receive loop ----

    public void OnFrame(in ConferenceFrame frame)
    {
        if (!_follower.TakingMedia || frame.Track.Kind != TrackKind.Audio)
        {
            return;
        }

        if (frame.LooksEncrypted)
        {
            // Never decoded, never copied.
            Interlocked.Increment(ref _encryptedFramesDropped);
            return;
        }

        string participant = frame.Track.ParticipantId;
        string trackId = _captionedTrack.GetOrAdd(participant, frame.Track.TrackId);
        if (!string.Equals(trackId, frame.Track.TrackId, StringComparison.Ordinal))
        {
            // A second audio track of the same participant (screen-share audio): one voice per participant.
            return;
        }

        _pipeline.PushOpus(participant, _names.GetValueOrDefault(participant), frame.RtpTimestamp, frame.Data);
    }

    public void OnTrackStarted(PublishedTrack track)
    {
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (_captionedTrack.TryGetValue(track.ParticipantId, out string? captioned) && captioned == track.TrackId
            && _captionedTrack.TryRemove(new KeyValuePair<string, string>(track.ParticipantId, track.TrackId)))
        {
            // The utterance in progress gets its final; the recognizer stream is freed for other speakers.
            _ = _pipeline.EndSpeakerAsync(track.ParticipantId);
        }
    }

    public void OnTrackEncrypted(PublishedTrack track, string format) => _follower.ReportEncryptedTrack(track, format);

    // ---- ICaptionListener: the pipeline's result tasks ----

    public void OnCaption(CaptionUpdate caption)
    {
        Interlocked.Increment(ref _captions);
        _launch.Observer.OnCaption(this, caption);
    }

    public void OnNotice(CaptionNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        string? code = notice.Kind switch
        {
            CaptionNoticeKind.SpeakerRefused => "speaker-refused",
            CaptionNoticeKind.RecognizerFailed => "recognizer-failed",
            CaptionNoticeKind.EngineRestarted => "engine-restarted",
            CaptionNoticeKind.AudioDropped => "audio-dropped",
            _ => null,
        };
        if (code is null)
        {
            return;
        }

        LogNotice(_logger, GatewayId, code, notice.Detail);
        _launch.Observer.OnNotice(this, code, notice.Detail);
    }

    // ---- conference events ----

    private void OnConferenceEvent(ConferenceEvent e)
    {
        switch (e)
        {
            case ParticipantJoined joined:
                _names[joined.Participant.ParticipantId] = joined.Participant.DisplayName;
                break;
            case ConferenceEnded ended:
                _ = FinishOnce(GatewayRunState.Stopped, null, $"The conference ended ({ended.Reason}).", immediate: false);
                break;
        }
    }

    // ---- the end ----

    private Task<GatewayOutcome> FinishOnce(GatewayRunState finalState, string? reasonCode, string detail, bool immediate)
    {
        lock (_gate)
        {
            _finish ??= FinishAsync(finalState, reasonCode, detail, immediate);
            return _finish;
        }
    }

    private async Task<GatewayOutcome> FinishAsync(GatewayRunState finalState, string? reasonCode, string detail, bool immediate)
    {
        await Task.Yield();
        GatewayOutcome outcome;
        try
        {
            _follower.SetState(GatewayRunState.Stopping, detail);
            CaptionTranscript transcript;
            if (immediate)
            {
                _follower.StopTakingMedia();
                transcript = await _pipeline.StopNowAsync(reasonCode, detail).ConfigureAwait(false);
            }
            else
            {
                // Media stops first so the finals flushed now are the last captions.
                _follower.StopTakingMedia();
                transcript = await _pipeline.CompleteAsync(detail).ConfigureAwait(false);
            }

            await _follower.LeaveAsync(_subscription).ConfigureAwait(false);
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _events.ConfigureAwait(false);
            await _pipeline.DisposeAsync().ConfigureAwait(false);

            IReadOnlyList<string> outputs = await StoreTranscriptAsync(transcript).ConfigureAwait(false);
            int speakers = transcript.Entries.Select(e => e.ParticipantId).Distinct(StringComparer.Ordinal).Count();
            string why = reasonCode is null ? "" : $" Stopped early ({reasonCode}): {detail}";
            outcome = new GatewayOutcome(finalState, reasonCode,
                $"Captioned {speakers} speaker(s): {transcript.Entries.Count} caption(s) in the transcript.{why}", outputs);
        }
#pragma warning disable CA1031 // Completion never faults: a failure is the outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFinishFailed(_logger, GatewayId, e.Message);
            outcome = new GatewayOutcome(GatewayRunState.Failed, reasonCode, $"The transcript could not be stored: {e.Message}", []);
        }

        _follower.SetState(outcome.FinalState, outcome.Summary);
        _completion.TrySetResult(outcome);
        return outcome;
    }

    /// <summary>Puts transcript.vtt and transcript.json, retrying through an outage for <see cref="CaptionsOptions.TranscriptUploadWindow"/>.</summary>
    private async Task<IReadOnlyList<string>> StoreTranscriptAsync(CaptionTranscript transcript)
    {
        (string Name, byte[] Content, string Type)[] blobs =
        [
            ($"{BlobPrefix}/transcript.vtt", TranscriptWebVtt.WriteUtf8(transcript), TranscriptWebVtt.ContentType),
            ($"{BlobPrefix}/transcript.json", TranscriptJson.Write(transcript), TranscriptJson.ContentType),
        ];
        long deadline = _time.GetTimestamp() + (long)(_options.TranscriptUploadWindow.TotalSeconds * _time.TimestampFrequency);
        var outputs = new List<string>(blobs.Length);
        foreach ((string name, byte[] content, string type) in blobs)
        {
            BlobNames.Validate(name);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await _sink.PutAsync(name, content, type, CancellationToken.None).ConfigureAwait(false);
                    outputs.Add(name);
                    break;
                }
                catch (Exception e) when ((e is BlobStorageException or HttpRequestException or IOException) && _time.GetTimestamp() < deadline)
                {
                    LogUploadRetry(_logger, name, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * attempt)), _time).ConfigureAwait(false);
                }
            }
        }

        return outputs;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Captions {GatewayId}: {Code}: {Detail}")]
    private static partial void LogNotice(ILogger logger, string gatewayId, string code, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transcript {Blob}: attempt {Attempt} failed: {Error}")]
    private static partial void LogUploadRetry(ILogger logger, string blob, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Captions {GatewayId} could not be finished: {Error}")]
    private static partial void LogFinishFailed(ILogger logger, string gatewayId, string error);
}
