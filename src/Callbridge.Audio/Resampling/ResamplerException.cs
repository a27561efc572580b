namespace Callbridge.Audio.Resampling;

public sealed class ResamplerException : Exception
{
    public ResamplerException(ResamplerError error)
        : base($"libspeexdsp resampler failed: {error}.")
    {
        Error = error;
    }

    public ResamplerError Error { get; }
}
