namespace Callbridge.Speech.Whisper;

/// <summary>A typed Whisper engine failure; <see cref="Install"/> names what to install when something is missing.</summary>
public sealed class WhisperEngineException : Exception
{
    public WhisperEngineException(WhisperEngineError error, string message, string? install = null, Exception? inner = null)
        : base(install is null ? message : $"{message} Install: {install}.", inner)
    {
        Error = error;
        Install = install;
    }

    public WhisperEngineError Error { get; }

    /// <summary>The package or step that provides what was missing, or null.</summary>
    public string? Install { get; }

    /// <summary>True for errors that a restart cannot fix (bad configuration or installation).</summary>
    public bool IsConfigurationError => Error is WhisperEngineError.InvalidOptions or WhisperEngineError.NodeMissing
        or WhisperEngineError.WorkerScriptMissing or WhisperEngineError.WorkerPackageMissing
        or WhisperEngineError.ModelMissing or WhisperEngineError.ModelInvalid;
}
