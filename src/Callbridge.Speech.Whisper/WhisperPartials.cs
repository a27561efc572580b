using System.Text;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper.Protocol;

namespace Callbridge.Speech.Whisper;

/// <summary>
/// Partial hypotheses of one decoder. Whisper has no running hypothesis, so a partial is a transcription
/// of the utterance so far, sent to the worker under a second stream id and answered asynchronously;
/// <see cref="Get"/> returns the newest answer for the current utterance and starts the next transcription
/// when <see cref="WhisperOptions.PartialInterval"/> more audio has arrived since the last one.
/// Back-pressure: one partial in flight per stream and <see cref="WhisperOptions.MaxPartialsInFlight"/> per
/// engine; a turn that finds either taken is skipped, never queued.
/// Invariants: <c>_text</c> belongs to utterance <c>_generation</c> (both under <c>_lock</c>);
/// <c>_inFlight</c> is 1 from the feed of a partial until its answer or its worker's death.
/// </summary>
internal sealed class WhisperPartials
{
    // whisper.cpp returns nothing for input under 100 mel frames (1 s, edges included); a shorter prefix
    // is padded with silence to 1.1 s.
    private const int MinSamples = RecognizerOptions.SampleRate * 11 / 10;

    // Half a second holds a word or two: the first partial can show after about one second of speech.
    private const int FirstSamples = RecognizerOptions.SampleRate / 2;

    private static readonly short[] Silence = new short[MinSamples];

    private readonly WhisperWorkerHost _host;
    private readonly PartialGate _gate;
    private readonly int _intervalSamples;
    private readonly string _streamId;
    private readonly byte[] _feedJson;
    private readonly Lock _lock = new();
    private int _generation;
    private string _text = "";
    private int _nextAt = FirstSamples;
    private int _inFlight;

    public WhisperPartials(WhisperWorkerHost host, WhisperOptions options, PartialGate gate, string streamId)
    {
        _host = host;
        _gate = gate;
        _intervalSamples = options.PartialIntervalSamples;
        _streamId = streamId;
        _feedJson = Encoding.UTF8.GetBytes($"{{\"op\":\"feed\",\"stream\":\"{streamId}\"}}");
    }

    public bool InFlight => Volatile.Read(ref _inFlight) != 0;

    /// <summary>Forgets the utterance: an answer still on its way is dropped.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _generation++;
            _text = "";
        }

        _nextAt = FirstSamples;
    }

    /// <summary>The newest non-empty partial text of this utterance (possibly of an earlier prefix), or "".</summary>
    public string Get(ReadOnlySpan<short> utterance)
    {
        if (utterance.Length >= _nextAt)
        {
            TryRequest(utterance);
        }

        lock (_lock)
        {
            return _text;
        }
    }

    private void TryRequest(ReadOnlySpan<short> utterance)
    {
        if (Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
        {
            _gate.CountSkip();
            return;
        }

        if (!_gate.TryEnter())
        {
            Volatile.Write(ref _inFlight, 0);
            _gate.CountSkip();
            return;
        }

        WhisperWorkerProcess? worker = _host.Current;
        if (worker is null || !Feed(worker, utterance))
        {
            // Restarting: the next turn asks the new worker.
            Release();
            return;
        }

        int generation;
        lock (_lock)
        {
            generation = _generation;
        }

        _nextAt = utterance.Length + _intervalSamples;
        _gate.CountRequest();
        _ = AwaitAnswerAsync(worker, generation);
    }

    private bool Feed(WhisperWorkerProcess worker, ReadOnlySpan<short> utterance)
    {
        int chunkSamples = WorkerFrame.MaxPayloadBytes / sizeof(short);
        for (int i = 0; i < utterance.Length; i += chunkSamples)
        {
            if (!worker.Feed(_feedJson, utterance.Slice(i, Math.Min(chunkSamples, utterance.Length - i))))
            {
                return false;
            }
        }

        return utterance.Length >= MinSamples || worker.Feed(_feedJson, Silence.AsSpan(utterance.Length));
    }

    private async Task AwaitAnswerAsync(WhisperWorkerProcess worker, int generation)
    {
        long sent = TimeProvider.System.GetTimestamp();
        try
        {
            // No timeout of our own: the slot stays taken until the worker answers, or dies (its own
            // transcription timeout ends it), so a slow worker is never handed a second partial.
            WorkerMessage reply = await worker.RequestAsync(w =>
            {
                w.WriteString("op", "finish");
                w.WriteString("stream", _streamId);
            }, Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false);
            if (reply.Ok)
            {
                string text = string.Concat(reply.Segments.Select(s => s.Text)).Trim();
                _gate.CountAnswer(TimeProvider.System.GetElapsedTime(sent));
                lock (_lock)
                {
                    // A re-run that hears nothing (a pause, a prefix too short) keeps the text already
                    // shown rather than blanking it; the final decides.
                    if (generation == _generation && text.Length > 0)
                    {
                        _text = text;
                    }
                }
            }
        }
        catch (WhisperEngineException)
        {
            // The worker died: the final re-feeds the utterance on its own; the next turn asks the new worker.
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        _gate.Exit();
        Volatile.Write(ref _inFlight, 0);
    }
}
