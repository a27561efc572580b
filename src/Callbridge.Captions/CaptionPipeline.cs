using System.Collections.Concurrent;
using Callbridge.Captions.Transcript;
using Callbridge.Gateways;
using Callbridge.Speech.Recognition;

namespace Callbridge.Captions;

/// <summary>
/// Live captions for the speakers of one conference: each speaker's Opus frames (already decrypted when the
/// conference is end-to-end encrypted) are decoded, resampled 48 -> 16 kHz and fed to that speaker's own
/// recognizer stream; every partial and final goes to the <see cref="ICaptionListener"/> as a
/// <see cref="CaptionUpdate"/>, and finals are kept in <see cref="Transcript"/>.
/// </summary>
/// <remarks>
/// Concurrency is bounded by the engine: a speaker that finds every decoder in use is refused (a notice) and
/// asks again every <see cref="CaptionPipelineOptions.RetryInterval"/>. Frames of one speaker are pushed from
/// one thread at a time, in RTP order; different speakers may be pushed from different threads. Pushing never
/// blocks: a recognizer that falls behind drops audio (a notice) instead of holding the media thread.
/// Times in captions are offsets from the pipeline's start on its <see cref="TimeProvider"/>, advanced by the
/// speaker's RTP clock while audio flows, so they are exact within one speaker and aligned across speakers.
/// </remarks>
public sealed class CaptionPipeline : IAsyncDisposable
{
    private const int Running = 0;
    private const int Stopping = 1;
    private const int StoppedNow = 2;

    private readonly IStreamingRecognizer _recognizer;
    private readonly ICaptionListener _listener;
    private readonly ISpeechEngineHealth? _engineHealth;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly ConcurrentDictionary<string, SpeakerChannel> _speakers = new(StringComparer.Ordinal);
    private readonly ITimer? _healthTimer;
    private readonly Lock _healthGate = new();
    private SpeechEngineHealth? _lastHealth;
    private int _state;

    public CaptionPipeline(IStreamingRecognizer recognizer, ICaptionListener listener, CaptionPipelineOptions? options = null,
        ISpeechEngineHealth? engineHealth = null, TimeProvider? timeProvider = null)
    {
        _recognizer = recognizer ?? throw new ArgumentNullException(nameof(recognizer));
        _listener = listener ?? throw new ArgumentNullException(nameof(listener));
        Options = options ?? new CaptionPipelineOptions();
        Options.Validate();
        _engineHealth = engineHealth;
        _time = timeProvider ?? TimeProvider.System;
        _startTimestamp = _time.GetTimestamp();
        Transcript = new CaptionTranscript(_time.GetUtcNow());
        if (_engineHealth is not null)
        {
            _lastHealth = _engineHealth.GetHealth();
            // Once a second: a worker restart shows up as a notice well within the next caption's interval.
            _healthTimer = _time.CreateTimer(_ => CheckEngineHealth(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    public CaptionPipelineOptions Options { get; }

    /// <summary>Finals, notices and (once stopped) the stop record.</summary>
    public CaptionTranscript Transcript { get; }

    /// <summary>Time since the pipeline started: the clock of every caption's Start and End.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    /// <summary>False once <see cref="CompleteAsync"/> or <see cref="StopNowAsync"/> was called.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>Speakers that currently hold a recognizer stream.</summary>
    public IReadOnlyList<string> ActiveSpeakers => [.. _speakers.Values.Where(s => s.HasStream).Select(s => s.ParticipantId).Order(StringComparer.Ordinal)];

    /// <summary>The engine's health as last polled, or null when no health source was given.</summary>
    public SpeechEngineHealth? EngineHealth
    {
        get
        {
            lock (_healthGate)
            {
                return _lastHealth;
            }
        }
    }

    internal IStreamingRecognizer Recognizer => _recognizer;

    internal TimeProvider Time => _time;

    /// <summary>
    /// Takes one Opus packet of <paramref name="participantId"/>'s audio (RTP clock 48 kHz, RFC 7587 section 4.1).
    /// Gaps in <paramref name="rtpTimestamp"/> are concealed (short) or filled with silence so times stay on
    /// the sender's clock. Never blocks and never throws for bad input: the result says what happened.
    /// </summary>
    /// <param name="displayName">The speaker's name as shown in captions; the latest non-null value wins.</param>
    public CaptionPushResult PushOpus(string participantId, string? displayName, uint rtpTimestamp, ReadOnlySpan<byte> opusPacket)
    {
        ArgumentNullException.ThrowIfNull(participantId);
        if (Volatile.Read(ref _state) != Running)
        {
            return CaptionPushResult.Stopped;
        }

        SpeakerChannel speaker = _speakers.GetOrAdd(participantId, static (id, state) => new SpeakerChannel(state.Pipeline, id, state.Name), (Pipeline: this, Name: displayName));
        return speaker.PushOpus(displayName, rtpTimestamp, opusPacket);
    }

    /// <summary>
    /// The speaker's track ended (unpublished, left): the utterance in progress gets its final, then the
    /// stream is released for other speakers. A later frame of the same speaker opens a new stream.
    /// </summary>
    public async Task EndSpeakerAsync(string participantId)
    {
        if (_speakers.TryRemove(participantId, out SpeakerChannel? speaker))
        {
            await speaker.CompleteAsync().ConfigureAwait(false);
            await speaker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Normal end: no more audio is taken, every utterance in progress gets its final, then the stop is recorded.
    /// Returns the transcript, final.
    /// </summary>
    public async Task<CaptionTranscript> CompleteAsync(string detail, CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Stopping, Running) != Running)
        {
            await StopAllNowAsync().ConfigureAwait(false);
            return Transcript;
        }

        SpeakerChannel[] speakers = [.. _speakers.Values];
        try
        {
            await Task.WhenAll(speakers.Select(s => s.CompleteAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RecordStop(null, detail, immediate: false);
            await StopAllNowAsync().ConfigureAwait(false);
        }

        return Transcript;
    }

    /// <summary>
    /// Leave-now: stops at once. Audio not yet recognized and utterances in progress are dropped (no caption
    /// is produced from media after this call); the transcript records from when and why.
    /// </summary>
    /// <param name="reasonCode">The negotiator's reason code (e.g. for an E2EE leave-now order), or null.</param>
    public async Task<CaptionTranscript> StopNowAsync(string? reasonCode, string detail)
    {
        Volatile.Write(ref _state, StoppedNow);
        RecordStop(reasonCode, detail, immediate: true);
        await StopAllNowAsync().ConfigureAwait(false);
        return Transcript;
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == Running)
        {
            await StopNowAsync(null, "The captions pipeline was disposed.").ConfigureAwait(false);
        }

        await StopAllNowAsync().ConfigureAwait(false);
        if (_healthTimer is not null)
        {
            await _healthTimer.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal bool StoppedImmediately => Volatile.Read(ref _state) == StoppedNow;

    internal void Deliver(CaptionUpdate update, string reason)
    {
        if (StoppedImmediately)
        {
            return;
        }

        if (update.IsFinal && update.Text.Length > 0)
        {
            Transcript.TryAdd(new TranscriptEntry(update.ParticipantId, update.DisplayName, update.UtteranceId, update.Text,
                update.Start, update.End, update.Confidence, Elapsed, reason));
        }

        _listener.OnCaption(update);
    }

    internal void Notice(CaptionNoticeKind kind, string? participantId, string detail)
    {
        var notice = new CaptionNotice(kind, participantId, Elapsed, detail);
        Transcript.AddNotice(notice);
        _listener.OnNotice(notice);
    }

    /// <summary>Polls the engine and raises a notice for each restart and each change of health.</summary>
    internal void CheckEngineHealth()
    {
        if (_engineHealth is null)
        {
            return;
        }

        SpeechEngineHealth now = _engineHealth.GetHealth();
        SpeechEngineHealth? before;
        lock (_healthGate)
        {
            before = _lastHealth;
            _lastHealth = now;
        }

        if (before is null || Volatile.Read(ref _state) == StoppedNow)
        {
            return;
        }

        if (now.Restarts > before.Restarts)
        {
            Notice(CaptionNoticeKind.EngineRestarted, null,
                $"The {now.Engine} engine restarted its worker ({now.Restarts} restart(s) so far); captioning goes on.");
        }
        else if (before.Healthy && !now.Healthy)
        {
            Notice(CaptionNoticeKind.EngineRestarted, null, $"The {now.Engine} engine is unhealthy: {now.Detail}");
        }
    }

    private void RecordStop(string? reasonCode, string detail, bool immediate)
    {
        if (Transcript.TrySetStop(new TranscriptStop(Elapsed, _time.GetUtcNow(), reasonCode, detail, immediate)))
        {
            string reason = reasonCode is null ? "" : $" (reason {reasonCode})";
            Notice(CaptionNoticeKind.Stopped, null, $"Captioning stopped{reason}: {detail}");
        }
    }

    private async Task StopAllNowAsync()
    {
        foreach (string id in _speakers.Keys.ToArray())
        {
            if (_speakers.TryRemove(id, out SpeakerChannel? speaker))
            {
                await speaker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
