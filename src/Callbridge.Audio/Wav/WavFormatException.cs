namespace Callbridge.Audio.Wav;

/// <summary>A WAV input was rejected; <see cref="Error"/> says why.</summary>
public sealed class WavFormatException : Exception
{
    public WavFormatException(WavError error)
        : base($"Not a supported 16-bit PCM WAV file: {error}.")
    {
        Error = error;
    }

    public WavError Error { get; }
}
