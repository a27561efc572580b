namespace Callbridge.Speech.Whisper;

/// <summary>What went wrong in the Whisper engine; configuration errors come out of start-up.</summary>
public enum WhisperEngineError
{
    /// <summary>The options do not validate.</summary>
    InvalidOptions,
    /// <summary>The <c>node</c> program could not be started (Debian package nodejs).</summary>
    NodeMissing,
    /// <summary>The worker script is not where <see cref="WhisperOptions.WorkerScript"/> says.</summary>
    WorkerScriptMissing,
    /// <summary>The worker started but cannot load npm @fugood/whisper.node (or its linux-x64 binary).</summary>
    WorkerPackageMissing,
    /// <summary>The ggml model file does not exist.</summary>
    ModelMissing,
    /// <summary>whisper.cpp refused the model file (not a ggml Whisper model, truncated, wrong shapes).</summary>
    ModelInvalid,
    /// <summary>The worker did not become ready, or did not answer, in time.</summary>
    Timeout,
    /// <summary>The worker process died and could not be brought back.</summary>
    WorkerCrashed,
    /// <summary>whisper.cpp failed on an utterance.</summary>
    TranscriptionFailed,
    /// <summary>The worker broke the stdio protocol.</summary>
    ProtocolError,
}
