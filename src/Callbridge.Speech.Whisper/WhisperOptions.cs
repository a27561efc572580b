using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Whisper;

/// <summary>Where the worker and the model are, and the engine's limits. <see cref="Validate"/> runs at start-up.</summary>
public sealed record WhisperOptions
{
    /// <summary>The npm packages the worker needs, pinned by scripts/tools/whisper/package-lock.json.</summary>
    public const string WorkerPackages = "npm @fugood/whisper.node@1.1.3 and @fugood/node-whisper-linux-x64@1.1.3 (scripts/tools/whisper, installed by scripts/install-deps.sh); the binary needs Debian package libgomp1";

    /// <summary>ggml Whisper model file (see <see cref="WhisperModels"/>); required.</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>The worker script (scripts/tools/whisper/worker.js); required.</summary>
    public string WorkerScript { get; init; } = "";

    /// <summary>
    /// A node_modules folder holding the worker's packages when they are not beside the script (exported
    /// to the worker as NODE_PATH); null resolves them from the script's own folder.
    /// </summary>
    public string? NodeModulesDirectory { get; init; }

    /// <summary>The Node program; "node" is looked up on PATH (Debian package nodejs).</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>Spoken language passed to whisper.cpp; "en" matches the .en models.</summary>
    public string Language { get; init; } = "en";

    /// <summary>whisper.cpp threads per transcription. 2 uses the whole of the 2-core hosts this runs on.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// Decoders (speaker streams) at once. They share one worker and one model, and utterances are
    /// transcribed one after another, so more streams only add waiting: 4 keeps the queue to about one
    /// utterance per stream with base.en on 2 cores.
    /// </summary>
    public int MaxDecoders { get; init; } = 4;

    /// <summary>
    /// Audio kept per utterance (since the last final) for the worker and for re-feeding after a crash.
    /// 30 s is whisper.cpp's window; the recognizer cuts utterances at 10 s by default, so this is slack.
    /// </summary>
    public TimeSpan MaxUtterance { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames queued to the worker's stdin before <c>Process</c> waits: 256 frames are about 5 s of 20 ms audio.</summary>
    public int SendQueueFrames { get; init; } = 256;

    /// <summary>Node start, package load and model load; a 466 MiB model loads in a few seconds from disk.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One utterance's transcription; 30 s of audio with small.en on 2 cores takes about 15 s.</summary>
    public TimeSpan TranscribeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker is pinged; a missed answer within <see cref="HealthCheckTimeout"/> restarts it.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The worker answers pings between transcriptions' native work, so 5 s only trips on a hung process.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Workers tried for one utterance before its transcription fails (the first plus restarts).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>
    /// Utterance audio between two partial transcriptions of one stream. Whisper has no running hypothesis,
    /// so each partial re-transcribes the utterance so far; 1 s meets the once-a-second caption floor
    /// without transcribing more often than the text can visibly change.
    /// </summary>
    public TimeSpan PartialInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Partial transcriptions queued in the worker at once across all streams; a stream whose turn finds
    /// them all taken skips that partial. The worker transcribes one job at a time, so each queued partial
    /// delays every final behind it: 1 bounds that delay to one partial. 0 turns partials off (finals only).
    /// </summary>
    public int MaxPartialsInFlight { get; init; } = 1;

    internal int PartialIntervalSamples => (int)(RecognizerOptions.SampleRate * PartialInterval.TotalSeconds);

    internal int MaxUtteranceSamples => (int)(RecognizerOptions.SampleRate * MaxUtterance.TotalSeconds);

    /// <summary>Throws <see cref="WhisperEngineException"/> (<see cref="WhisperEngineError.InvalidOptions"/>) naming the first bad option.</summary>
    public void Validate()
    {
        static void Fail(string message) => throw new WhisperEngineException(WhisperEngineError.InvalidOptions, message);

        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            Fail("WhisperOptions.ModelPath is required (a ggml Whisper model such as ggml-base.en.bin).");
        }

        if (string.IsNullOrWhiteSpace(WorkerScript))
        {
            Fail("WhisperOptions.WorkerScript is required (scripts/tools/whisper/worker.js).");
        }

        if (string.IsNullOrWhiteSpace(NodeExecutable))
        {
            Fail("WhisperOptions.NodeExecutable must name the node program.");
        }

        if (string.IsNullOrWhiteSpace(Language) || Language.Length > 8)
        {
            Fail("WhisperOptions.Language must be a whisper language code such as \"en\".");
        }

        if (Threads is < 1 or > 64)
        {
            Fail("WhisperOptions.Threads must be 1..64.");
        }

        if (MaxDecoders < 1)
        {
            Fail("WhisperOptions.MaxDecoders must be at least 1.");
        }

        if (MaxUtterance < TimeSpan.FromSeconds(1) || MaxUtterance > TimeSpan.FromSeconds(60))
        {
            // The worker accepts at most 60 s per frame and whisper.cpp ignores audio under 1 s.
            Fail("WhisperOptions.MaxUtterance must be 1..60 s.");
        }

        if (SendQueueFrames < 1)
        {
            Fail("WhisperOptions.SendQueueFrames must be at least 1.");
        }

        foreach ((string name, TimeSpan value) in new[]
                 {
                     (nameof(StartTimeout), StartTimeout), (nameof(TranscribeTimeout), TranscribeTimeout),
                     (nameof(HealthCheckInterval), HealthCheckInterval), (nameof(HealthCheckTimeout), HealthCheckTimeout),
                 })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                Fail($"WhisperOptions.{name} must be positive and at most an hour.");
            }
        }

        if (MaxAttempts < 1)
        {
            Fail("WhisperOptions.MaxAttempts must be at least 1.");
        }

        if (PartialInterval < TimeSpan.FromMilliseconds(200) || PartialInterval > TimeSpan.FromSeconds(10))
        {
            Fail("WhisperOptions.PartialInterval must be 0.2..10 s.");
        }

        if (MaxPartialsInFlight < 0)
        {
            Fail("WhisperOptions.MaxPartialsInFlight must be 0 or more.");
        }
    }
}
