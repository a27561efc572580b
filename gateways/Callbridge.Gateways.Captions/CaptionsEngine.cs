using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper;

namespace Callbridge.Gateways.Captions;

/// <summary>
/// The host's one speech engine, shared by every captions gateway (the engine bounds how many speakers are
/// recognized at once across all of them). Started once, on first use or by the start-up service.
/// </summary>
public sealed class CaptionsEngine : IAsyncDisposable
{
    private readonly CaptionsOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private Started? _started;

    public CaptionsEngine(CaptionsOptions options, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>"pocketsphinx" or "whisper".</summary>
    public string Name => _options.ResolvedEngine == CaptionsEngineKind.Whisper ? "whisper" : "pocketsphinx";

    /// <summary>The running engine, or null before <see cref="StartAsync"/>.</summary>
    public ISpeechEngine? Engine => _started?.Engine;

    /// <summary>
    /// Starts the engine once (loads PocketSphinx's model check, or starts the Whisper worker and loads its model);
    /// throws <see cref="SpeechEngineException"/> or <see cref="WhisperEngineException"/> saying what is missing.
    /// A failed start is tried again by the next call.
    /// </summary>
    public async Task<(IStreamingRecognizer Recognizer, ISpeechEngineHealth Health)> StartAsync(CancellationToken cancellationToken)
    {
        Started? started = Volatile.Read(ref _started);
        if (started is not null)
        {
            return (started.Recognizer, started.Health);
        }

        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started is null)
            {
                ISpeechEngine engine = _options.ResolvedEngine == CaptionsEngineKind.Whisper
                    ? await WhisperEngine.StartAsync(new WhisperOptions
                    {
                        ModelPath = _options.WhisperModelPath ?? "",
                        WorkerScript = Path.GetFullPath(_options.WhisperWorkerScript),
                        NodeModulesDirectory = _options.WhisperNodeModulesDirectory,
                        NodeExecutable = _options.NodeExecutable,
                        Threads = _options.WhisperThreads,
                        MaxDecoders = _options.MaxSpeakers,
                        PartialInterval = _options.WhisperPartialInterval,
                        MaxPartialsInFlight = _options.WhisperMaxPartialsInFlight,
                    }, _time, cancellationToken).ConfigureAwait(false)
                    : new PocketSphinxEngine(new PocketSphinxOptions
                    {
                        ModelDirectory = _options.PocketSphinxModelDirectory,
                        MaxDecoders = _options.MaxSpeakers,
                    });
                var recognizer = new StreamingRecognizer(engine, new RecognizerOptions
                {
                    PartialInterval = _options.PartialInterval,
                    MaxUtterance = _options.MaxUtterance,
                    // The pipeline pushes one chunk per Opus frame, 20 ms from WebRTC senders.
                    AudioQueueChunks = (int)Math.Ceiling(_options.MaxBacklog.TotalMilliseconds / 20),
                });
                Volatile.Write(ref _started, new Started(engine, recognizer, (ISpeechEngineHealth)engine));
            }

            return (_started!.Recognizer, _started.Health);
        }
        finally
        {
            _startGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Started? started = Interlocked.Exchange(ref _started, null);
        if (started?.Engine is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            started?.Engine.Dispose();
        }

        _startGate.Dispose();
    }

    private sealed record Started(ISpeechEngine Engine, IStreamingRecognizer Recognizer, ISpeechEngineHealth Health);
}
