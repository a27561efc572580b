using System.Text;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper.Protocol;

namespace Callbridge.Speech.Whisper;

/// <summary>
/// One stream's decoder. Audio of the utterance in progress (everything since the last final) is kept in
/// <c>_audio</c> and fed to the worker as it arrives; at the utterance end the worker transcribes it.
/// Partials are transcriptions of the utterance so far (<see cref="WhisperPartials"/>).
/// If the worker dies, the next worker is fed the whole kept utterance again, so no caption is lost.
/// Invariants: <c>_fedCount</c> samples of <c>_audio</c> have reached <c>_fedTo</c>; a worker other
/// than <c>_fedTo</c> has heard none of them.
/// </summary>
internal sealed class WhisperDecoder : ISpeechDecoder
{
    private static long _nextStream;

    private readonly WhisperWorkerHost _host;
    private readonly WhisperOptions _options;
    private readonly string _streamId;
    private readonly byte[] _feedJson;
    private readonly byte[] _resetJson;
    private readonly short[] _audio;
    private readonly WhisperPartials _partials;
    private int _count;
    private int _fedCount;
    private WhisperWorkerProcess? _fedTo;

    public WhisperDecoder(WhisperWorkerHost host, WhisperOptions options, PartialGate partialGate)
    {
        _host = host;
        _options = options;
        _streamId = "s" + Interlocked.Increment(ref _nextStream).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _feedJson = Encoding.UTF8.GetBytes($"{{\"op\":\"feed\",\"stream\":\"{_streamId}\"}}");
        _resetJson = Encoding.UTF8.GetBytes($"{{\"op\":\"reset\",\"stream\":\"{_streamId}\"}}");
        _audio = new short[options.MaxUtteranceSamples];
        _partials = new WhisperPartials(host, options, partialGate, _streamId + "p");
    }

    /// <summary>Partial transcriptions of this decoder's streams (for tests and monitoring).</summary>
    internal WhisperPartials Partials => _partials;

    /// <summary>Samples beyond <see cref="WhisperOptions.MaxUtterance"/> that were not kept.</summary>
    public long DroppedSamples { get; private set; }

    /// <summary>The last utterance's segments and timing, for callers that want more than the text.</summary>
    public WhisperTranscript? LastTranscript { get; private set; }

    public void StartUtterance() => Abandon();

    public void Process(ReadOnlySpan<short> samples)
    {
        int take = Math.Min(samples.Length, _audio.Length - _count);
        samples[..take].CopyTo(_audio.AsSpan(_count));
        _count += take;
        DroppedSamples += samples.Length - take;
        FeedPending(_host.Current);
    }

    /// <summary>
    /// The newest transcription of a prefix of this utterance (see <see cref="WhisperPartials"/>); it may lag
    /// the audio by one <see cref="WhisperOptions.PartialInterval"/> plus the worker's time, and the final replaces it.
    /// </summary>
    public string GetPartial() => _partials.Get(_audio.AsSpan(0, _count));

    public (string Text, double? Confidence) EndUtterance()
    {
        // The recognizer's decoding task is synchronous by contract; it waits here for the worker.
        WhisperTranscript transcript = FinishAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (transcript.Text, null);
    }

    /// <summary>Transcribes the kept utterance, re-feeding it to a new worker after a crash, and clears it.</summary>
    public async Task<WhisperTranscript> FinishAsync(CancellationToken cancellationToken)
    {
        long started = TimeProvider.System.GetTimestamp();
        WhisperEngineException? last = null;
        for (int attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            WhisperWorkerProcess worker = await _host.GetWorkerAsync(cancellationToken).ConfigureAwait(false);
            if (!FeedPending(worker))
            {
                last = new WhisperEngineException(WhisperEngineError.WorkerCrashed, $"Whisper worker {worker.ProcessId} exited while being fed.");
                continue;
            }

            WorkerMessage reply;
            try
            {
                reply = await worker.RequestAsync(w =>
                {
                    w.WriteString("op", "finish");
                    w.WriteString("stream", _streamId);
                }, _options.TranscribeTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (WhisperEngineException ex) when (ex.Error is WhisperEngineError.WorkerCrashed or WhisperEngineError.Timeout)
            {
                last = ex;
                if (ex.Error == WhisperEngineError.Timeout)
                {
                    worker.Kill();
                }

                _fedTo = null;
                continue;
            }

            if (!reply.Ok)
            {
                // "transcribe_timeout" is followed by the worker's exit: retry on the next one.
                last = new WhisperEngineException(WhisperEngineError.TranscriptionFailed, $"Whisper worker: {reply.Code}: {reply.Message}");
                _fedTo = null;
                if (reply.Code == "transcribe_timeout")
                {
                    continue;
                }

                Clear();
                throw last;
            }

            var transcript = new WhisperTranscript(ToSegments(reply), reply.Samples, TimeProvider.System.GetElapsedTime(started), attempt);
            LastTranscript = transcript;
            Clear();
            return transcript;
        }

        Clear();
        throw last ?? new WhisperEngineException(WhisperEngineError.WorkerCrashed, "Whisper worker unavailable.");
    }

    /// <summary>Drops the utterance here and in the worker.</summary>
    public void Abandon()
    {
        if (_fedTo is { IsAlive: true } worker && _fedCount > 0)
        {
            worker.Feed(_resetJson, []);
        }

        Clear();
    }

    public void Dispose() => Abandon();

    private void Clear()
    {
        _count = 0;
        _fedCount = 0;
        _partials.Reset();
    }

    /// <summary>Sends <paramref name="worker"/> what it has not heard; false when it is gone.</summary>
    private bool FeedPending(WhisperWorkerProcess? worker)
    {
        if (worker is null)
        {
            return false;
        }

        if (!ReferenceEquals(worker, _fedTo))
        {
            // A new worker (after a restart) has none of the utterance.
            _fedTo = worker;
            _fedCount = 0;
        }

        while (_fedCount < _count)
        {
            int chunk = Math.Min(_count - _fedCount, WorkerFrame.MaxPayloadBytes / sizeof(short));
            if (!worker.Feed(_feedJson, _audio.AsSpan(_fedCount, chunk)))
            {
                _fedTo = null;
                return false;
            }

            _fedCount += chunk;
        }

        return true;
    }

    private static List<WhisperSegment> ToSegments(WorkerMessage reply)
    {
        // whisper.cpp pads every window to 30 s, so a segment can claim to end after the audio does.
        double audioMs = reply.Samples * 1000.0 / RecognizerOptions.SampleRate;
        var segments = new List<WhisperSegment>(reply.Segments.Count);
        foreach (WorkerSegment s in reply.Segments)
        {
            double start = Math.Clamp(s.StartMs, 0, audioMs);
            double end = Math.Clamp(s.EndMs, start, audioMs);
            segments.Add(new WhisperSegment(s.Text, TimeSpan.FromMilliseconds(start), TimeSpan.FromMilliseconds(end)));
        }

        return segments;
    }
}
