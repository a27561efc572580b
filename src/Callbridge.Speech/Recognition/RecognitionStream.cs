using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Callbridge.Speech.Vad;

namespace Callbridge.Speech.Recognition;

/// <summary>
/// One speaker's recognition: pushed audio goes through a bounded queue to a worker task that runs
/// the VAD and the decoder frame by frame, and writes results to a bounded channel.
/// Invariants: the worker is the only user of the decoder, the VAD, the pre-roll ring and the frame
/// buffer; <c>_streamSamples</c> counts every sample the worker has taken from the queue, so result
/// times are sample-exact.
/// </summary>
internal sealed class RecognitionStream : IRecognitionStream
{
    private readonly ISpeechEngine _engine;
    private readonly ISpeechDecoder _decoder;
    private readonly RecognizerOptions _options;
    private readonly Channel<AudioChunk> _audio;
    private readonly Channel<RecognitionResult> _results;
    private readonly CancellationTokenSource _stop = new();
    private readonly EnergyVad _vad;
    private readonly short[] _frame;
    private readonly short[] _preRoll;
    private readonly short[] _preRollScratch;
    private readonly long _partialIntervalSamples;
    private readonly long _maxUtteranceSamples;
    private readonly Task _worker;

    private int _frameFill;
    private int _preRollStart;
    private int _preRollCount;
    private long _streamSamples;
    private bool _inUtterance;
    private long _utteranceStart;
    private long _utteranceSamples;
    private long _nextPartialAt;
    private long _lastVoicedEnd;
    private bool _partialSent;
    private int _utteranceIndex;
    private int _disposed;

    public RecognitionStream(string speakerId, ISpeechEngine engine, ISpeechDecoder decoder, RecognizerOptions options)
    {
        SpeakerId = speakerId;
        _engine = engine;
        _decoder = decoder;
        _options = options;
        _audio = Channel.CreateBounded<AudioChunk>(new BoundedChannelOptions(options.AudioQueueChunks)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _results = Channel.CreateBounded<RecognitionResult>(new BoundedChannelOptions(options.ResultQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _vad = new EnergyVad(RecognizerOptions.SampleRate, options.Vad);
        _frame = new short[_vad.FrameSamples];
        int preRollSamples = (int)(RecognizerOptions.SampleRate * options.PreRoll.TotalSeconds);
        _preRoll = new short[Math.Max(preRollSamples, _vad.FrameSamples)];
        _preRollScratch = new short[_preRoll.Length];
        _partialIntervalSamples = Math.Max(1, (long)(RecognizerOptions.SampleRate * options.PartialInterval.TotalSeconds));
        _maxUtteranceSamples = (long)(RecognizerOptions.SampleRate * options.MaxUtterance.TotalSeconds);
        _worker = Task.Run(RunAsync);
    }

    public string SpeakerId { get; }

    /// <summary>Samples the worker has run through the VAD so far (for pacing and monitoring).</summary>
    internal long ProcessedSamples => Volatile.Read(ref _streamSamples);

    public bool TryPush(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return true;
        }

        short[] buffer = ArrayPool<short>.Shared.Rent(samples.Length);
        samples.CopyTo(buffer);
        if (_audio.Writer.TryWrite(new AudioChunk(buffer, samples.Length)))
        {
            return true;
        }

        ArrayPool<short>.Shared.Return(buffer);
        return false;
    }

    public async ValueTask PushAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken = default)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        short[] buffer = ArrayPool<short>.Shared.Rent(samples.Length);
        samples.Span.CopyTo(buffer);
        try
        {
            await _audio.Writer.WriteAsync(new AudioChunk(buffer, samples.Length), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<short>.Shared.Return(buffer);
            throw;
        }
    }

    public void Complete() => _audio.Writer.TryComplete();

    public IAsyncEnumerable<RecognitionResult> ReadResultsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(cancellationToken);

    private async IAsyncEnumerable<RecognitionResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (RecognitionResult result in _results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _audio.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // The reader has seen the failure through the result channel already.
        }

        while (_audio.Reader.TryRead(out AudioChunk chunk))
        {
            ArrayPool<short>.Shared.Return(chunk.Buffer);
        }

        _stop.Dispose();
        _engine.Return(_decoder);
    }

    private async Task RunAsync()
    {
        var pending = new List<RecognitionResult>(4);
        try
        {
            CancellationToken token = _stop.Token;
            while (await _audio.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (_audio.Reader.TryRead(out AudioChunk chunk))
                {
                    try
                    {
                        ProcessChunk(chunk.Buffer.AsSpan(0, chunk.Length), pending);
                    }
                    finally
                    {
                        ArrayPool<short>.Shared.Return(chunk.Buffer);
                    }

                    foreach (RecognitionResult result in pending)
                    {
                        await _results.Writer.WriteAsync(result, token).ConfigureAwait(false);
                    }

                    pending.Clear();
                }
            }

            FinishStream(pending);
            foreach (RecognitionResult result in pending)
            {
                await _results.Writer.WriteAsync(result, token).ConfigureAwait(false);
            }

            _results.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            if (_inUtterance)
            {
                _decoder.EndUtterance();
                _inUtterance = false;
            }

            _results.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _results.Writer.TryComplete(ex);
            throw;
        }
    }

    private void ProcessChunk(ReadOnlySpan<short> samples, List<RecognitionResult> pending)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, _frame.Length - _frameFill);
            samples[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            samples = samples[take..];
            if (_frameFill == _frame.Length)
            {
                ProcessFrame(_frame, pending);
                _frameFill = 0;
            }
        }
    }

    private void ProcessFrame(ReadOnlySpan<short> frame, List<RecognitionResult> pending)
    {
        long frameStart = _streamSamples;
        _streamSamples += frame.Length;
        VadEvent vad = _vad.Process(frame);
        if (_vad.LastFrameVoiced)
        {
            _lastVoicedEnd = _streamSamples;
        }

        if (!_inUtterance)
        {
            if (vad == VadEvent.SpeechStart)
            {
                int preRoll = CopyPreRoll();
                StartUtterance(frameStart - preRoll);
                _decoder.Process(_preRollScratch.AsSpan(0, preRoll));
                _utteranceSamples = preRoll;
                FeedUtterance(frame, pending);
            }
            else
            {
                AppendPreRoll(frame);
            }

            return;
        }

        if (vad == VadEvent.SpeechEnd)
        {
            _decoder.Process(frame);
            _utteranceSamples += frame.Length;
            EndUtterance(FinalReason.EndOfSpeech, Math.Max(_lastVoicedEnd, _utteranceStart), pending);
            return;
        }

        FeedUtterance(frame, pending);
    }

    private void FeedUtterance(ReadOnlySpan<short> frame, List<RecognitionResult> pending)
    {
        _decoder.Process(frame);
        _utteranceSamples += frame.Length;
        if (_utteranceSamples >= _maxUtteranceSamples)
        {
            EndUtterance(FinalReason.MaxDuration, _utteranceStart + _utteranceSamples, pending);
            if (_vad.InSpeech)
            {
                // Speech goes on: the next utterance starts right where this one was cut.
                StartUtterance(_streamSamples);
            }

            return;
        }

        if (_utteranceSamples >= _nextPartialAt)
        {
            _nextPartialAt += _partialIntervalSamples;
            string text = _decoder.GetPartial();
            if (text.Length > 0)
            {
                _partialSent = true;
                pending.Add(new RecognitionResult(SpeakerId, RecognitionResultKind.Partial, FinalReason.None, _utteranceIndex,
                    ToTime(_utteranceStart), ToTime(_utteranceStart + _utteranceSamples), text, null));
            }
        }
    }

    private void StartUtterance(long startSample)
    {
        _decoder.StartUtterance();
        _inUtterance = true;
        _utteranceStart = Math.Max(0, startSample);
        _utteranceSamples = 0;
        _nextPartialAt = _partialIntervalSamples;
        _partialSent = false;
    }

    private void EndUtterance(FinalReason reason, long endSample, List<RecognitionResult> pending)
    {
        (string text, double? confidence) = _decoder.EndUtterance();
        _inUtterance = false;
        _preRollCount = 0;
        // An utterance that produced nothing (a cough, a door) gets no final unless a partial was shown,
        // which the final must then replace.
        if (text.Length > 0 || _partialSent)
        {
            pending.Add(new RecognitionResult(SpeakerId, RecognitionResultKind.Final, reason, _utteranceIndex,
                ToTime(_utteranceStart), ToTime(endSample), text, confidence));
        }

        _utteranceIndex++;
    }

    private void FinishStream(List<RecognitionResult> pending)
    {
        if (_frameFill > 0 && _inUtterance)
        {
            _decoder.Process(_frame.AsSpan(0, _frameFill));
            _utteranceSamples += _frameFill;
            _streamSamples += _frameFill;
        }

        _frameFill = 0;
        if (_inUtterance)
        {
            EndUtterance(FinalReason.EndOfStream, _streamSamples, pending);
        }
    }

    private void AppendPreRoll(ReadOnlySpan<short> frame)
    {
        foreach (short s in frame)
        {
            int index = (_preRollStart + _preRollCount) % _preRoll.Length;
            _preRoll[index] = s;
            if (_preRollCount < _preRoll.Length)
            {
                _preRollCount++;
            }
            else
            {
                _preRollStart = (_preRollStart + 1) % _preRoll.Length;
            }
        }
    }

    private int CopyPreRoll()
    {
        int count = _preRollCount;
        for (int i = 0; i < count; i++)
        {
            _preRollScratch[i] = _preRoll[(_preRollStart + i) % _preRoll.Length];
        }

        _preRollStart = 0;
        _preRollCount = 0;
        return count;
    }

    private static TimeSpan ToTime(long samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / RecognizerOptions.SampleRate);

    private readonly record struct AudioChunk(short[] Buffer, int Length);
}
