namespace Callbridge.Speech.PocketSphinx;

/// <summary>Why a speech engine could not start.</summary>
public enum SpeechEngineError
{
    /// <summary>A native library is missing; <see cref="SpeechEngineException.DebianPackage"/> names what to install.</summary>
    LibraryMissing,
    /// <summary>A model file is missing; <see cref="SpeechEngineException.DebianPackage"/> names what to install.</summary>
    ModelMissing,
    /// <summary>The engine rejected its configuration.</summary>
    InvalidConfiguration,
    /// <summary>The engine failed to create a decoder or to decode.</summary>
    DecoderFailed,
}

public sealed class SpeechEngineException : Exception
{
    public SpeechEngineException(SpeechEngineError error, string message, string? debianPackage = null)
        : base(debianPackage is null ? message : $"{message} Install the Debian package '{debianPackage}'.")
    {
        Error = error;
        DebianPackage = debianPackage;
    }

    public SpeechEngineError Error { get; }

    public string? DebianPackage { get; }
}
