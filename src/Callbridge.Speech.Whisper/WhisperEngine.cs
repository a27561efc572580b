using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Whisper;

/// <summary>
/// Whisper (whisper.cpp through npm @fugood/whisper.node) behind <see cref="ISpeechEngine"/>: one Node
/// worker process holds the model; each leased decoder is one stream in it. The worker is restarted when
/// it dies or stops answering, and the utterance in progress is re-fed to the new one.
/// Start it with <see cref="StartAsync"/>: a missing or bad model, a missing node, worker script or npm
/// package fail there with a typed <see cref="WhisperEngineException"/>.
/// </summary>
public sealed class WhisperEngine : ISpeechEngine, ISpeechEngineHealth, IAsyncDisposable
{
    private readonly WhisperOptions _options;
    private readonly WhisperWorkerHost _host;
    private readonly Lock _lock = new();
    private readonly Stack<WhisperDecoder> _idle = new();
    private readonly PartialGate _partialGate;
    private int _created;
    private bool _disposed;

    private WhisperEngine(WhisperOptions options, WhisperWorkerHost host)
    {
        _options = options;
        _host = host;
        _partialGate = new PartialGate(options.MaxPartialsInFlight);
    }

    public int MaxDecoders => _options.MaxDecoders;

    /// <summary>Worker processes started after the first (crashes, hangs).</summary>
    public int WorkerRestarts => _host.Restarts;

    /// <summary>Healthy while a worker is alive; a restart in progress or a fault shows here with the restart count.</summary>
    public SpeechEngineHealth GetHealth()
    {
        WhisperEngineException? fault = _host.Fault;
        if (fault is not null)
        {
            return new SpeechEngineHealth("whisper", false, _host.Restarts, fault.Message);
        }

        return _host.Current is null
            ? new SpeechEngineHealth("whisper", false, _host.Restarts, "The Whisper worker is restarting.")
            : new SpeechEngineHealth("whisper", true, _host.Restarts, null);
    }

    /// <summary>Partial transcriptions requested, answered and skipped (back-pressure) across the streams.</summary>
    internal PartialGate Partials => _partialGate;

    /// <summary>The live worker's process id, or null while a replacement starts.</summary>
    public int? WorkerProcessId => _host.Current?.ProcessId;

    public static async Task<WhisperEngine> StartAsync(WhisperOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!File.Exists(options.WorkerScript))
        {
            throw new WhisperEngineException(WhisperEngineError.WorkerScriptMissing,
                $"Whisper worker script '{options.WorkerScript}' not found.", "scripts/tools/whisper/worker.js with " + WhisperOptions.WorkerPackages);
        }

        if (!File.Exists(options.ModelPath))
        {
            throw new WhisperEngineException(WhisperEngineError.ModelMissing,
                $"Whisper model file '{options.ModelPath}' not found (recommended: {WhisperModels.BaseEn.FileName}, {WhisperModels.BaseEn.DiskSize}).");
        }

        WhisperWorkerHost host = await WhisperWorkerHost.StartAsync(options, timeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return new WhisperEngine(options, host);
    }

    public ISpeechDecoder? TryLease()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out WhisperDecoder? idle))
            {
                return idle;
            }

            if (_created >= _options.MaxDecoders)
            {
                return null;
            }

            _created++;
        }

        return new WhisperDecoder(_host, _options, _partialGate);
    }

    public void Return(ISpeechDecoder decoder)
    {
        var whisper = (WhisperDecoder)decoder;
        whisper.Abandon();
        lock (_lock)
        {
            if (!_disposed)
            {
                _idle.Push(whisper);
                return;
            }

            _created--;
        }
    }

    /// <summary>
    /// Transcribes one utterance outside any stream (at most <see cref="WhisperOptions.MaxUtterance"/> of it),
    /// with segments and times. Takes one of the <see cref="MaxDecoders"/> while it runs.
    /// </summary>
    public async Task<WhisperTranscript> TranscribeAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken = default)
    {
        var decoder = (WhisperDecoder?)TryLease() ?? throw new RecognizerBusyException(MaxDecoders);
        try
        {
            decoder.StartUtterance();
            decoder.Process(samples.Span);
            return await decoder.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(decoder);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _idle.Clear();
        }

        await _host.DisposeAsync().ConfigureAwait(false);
    }
}
