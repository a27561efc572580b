using System.ComponentModel.DataAnnotations;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Whisper;

namespace Callbridge.Gateways.Captions;

/// <summary>
/// How the captions gateway recognizes speech. Bound from the section the host passes to
/// <see cref="CaptionsServiceCollectionExtensions.AddCaptionsGateway"/> (by convention "Callbridge:Captions")
/// and validated at start-up: a configured Whisper model that is missing stops the host with a clear error.
/// </summary>
public sealed class CaptionsOptions : IValidatableObject
{
    public const string SectionName = "Callbridge:Captions";

    /// <summary>The name the bot joins with, as participants see it.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string DisplayName { get; set; } = "Captions";

    /// <summary>Auto picks Whisper when a model is configured, else PocketSphinx.</summary>
    public CaptionsEngineKind Engine { get; set; } = CaptionsEngineKind.Auto;

    /// <summary>
    /// Speakers captioned at once on this host (recognizer streams). PocketSphinx: each costs about 90 MiB and
    /// 0.15 core in real time, so 8 fit a 2-core host beside the media path. Whisper: streams share one worker
    /// that transcribes utterances one after another, so 4 keeps the wait to about one utterance per speaker.
    /// Further speakers get a "speaker-refused" notice and their turn when a stream frees.
    /// </summary>
    [Range(1, 64)]
    public int MaxSpeakers { get; set; } = 8;

    /// <summary>A partial at least this often while someone speaks (the floor users notice is one a second).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:01")]
    public TimeSpan PartialInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Continuous speech gets a forced final after this long, so a speaker who never pauses still gets stable text.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:00:10")]
    public TimeSpan MaxUtterance { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far a speaker's recognizer may fall behind live audio before audio is dropped (an "audio-dropped"
    /// notice). 5 s keeps captions live on a loaded host; offline-style uses (a batch host captioning for the
    /// record) may allow minutes at about 32 KiB per second of backlog per speaker.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MaxBacklog { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PocketSphinx model folder; the default is where Debian's pocketsphinx-en-us puts the US English model.</summary>
    public string PocketSphinxModelDirectory { get; set; } = PocketSphinxOptions.DebianModelDirectory;

    /// <summary>
    /// A ggml Whisper model file (ggml-base.en.bin, 142 MiB, is the recommended start; ggml-tiny.en.bin, 75 MiB,
    /// for the smallest hosts; ggml-small.en.bin, 466 MiB, for accuracy). Empty: no Whisper.
    /// </summary>
    public string? WhisperModelPath { get; set; }

    /// <summary>The Whisper worker script (with its npm packages installed beside it by scripts/install-deps.sh).</summary>
    public string WhisperWorkerScript { get; set; } = "scripts/tools/whisper/worker.js";

    /// <summary>A node_modules folder for the worker when its packages are not beside the script; null: beside it.</summary>
    public string? WhisperNodeModulesDirectory { get; set; }

    /// <summary>The Node program (Debian package nodejs).</summary>
    public string NodeExecutable { get; set; } = "node";

    /// <summary>whisper.cpp threads per transcription: 2 uses the whole of a 2-core host.</summary>
    [Range(1, 64)]
    public int WhisperThreads { get; set; } = 2;

    /// <summary>
    /// Whisper re-transcribes the utterance so far for each partial; this is how much new audio each one waits
    /// for (1 s meets the once-a-second caption floor).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:00:10")]
    public TimeSpan WhisperPartialInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Partials the Whisper worker may have in hand at once, across speakers; each one delays the finals behind
    /// it. 0: finals only.
    /// </summary>
    [Range(0, 16)]
    public int WhisperMaxPartialsInFlight { get; set; } = 1;

    /// <summary>How long the end of captioning retries storing the transcript through a storage outage.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TranscriptUploadWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The engine <see cref="Engine"/> resolves to.</summary>
    public CaptionsEngineKind ResolvedEngine => Engine switch
    {
        CaptionsEngineKind.Auto => string.IsNullOrWhiteSpace(WhisperModelPath) ? CaptionsEngineKind.PocketSphinx : CaptionsEngineKind.Whisper,
        _ => Engine,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ResolvedEngine == CaptionsEngineKind.Whisper)
        {
            if (string.IsNullOrWhiteSpace(WhisperModelPath))
            {
                yield return new ValidationResult("Captions engine Whisper needs WhisperModelPath (a ggml model such as ggml-base.en.bin).", [nameof(WhisperModelPath)]);
            }
            else if (!File.Exists(WhisperModelPath))
            {
                yield return new ValidationResult(
                    $"The Whisper model file '{Path.GetFullPath(WhisperModelPath)}' does not exist (WhisperModelPath; recommended {WhisperModels.BaseEn.FileName}, {WhisperModels.BaseEn.DiskSize}).",
                    [nameof(WhisperModelPath)]);
            }

            if (!File.Exists(WhisperWorkerScript))
            {
                yield return new ValidationResult(
                    $"The Whisper worker script '{Path.GetFullPath(WhisperWorkerScript)}' does not exist (WhisperWorkerScript; {WhisperOptions.WorkerPackages}).",
                    [nameof(WhisperWorkerScript)]);
            }
        }
        else if (!File.Exists(Path.Combine(PocketSphinxModelDirectory, "en-us", "mdef")))
        {
            yield return new ValidationResult(
                $"No PocketSphinx model in '{PocketSphinxModelDirectory}' (PocketSphinxModelDirectory): install the Debian package pocketsphinx-en-us.",
                [nameof(PocketSphinxModelDirectory)]);
        }

        if (PartialInterval >= MaxUtterance)
        {
            yield return new ValidationResult("PartialInterval must be shorter than MaxUtterance.", [nameof(PartialInterval), nameof(MaxUtterance)]);
        }
    }
}
