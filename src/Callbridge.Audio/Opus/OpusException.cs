namespace Callbridge.Audio.Opus;

public sealed class OpusException : Exception
{
    public OpusException(OpusError error, string operation)
        : base($"libopus {operation} failed: {error} ({(int)error}).")
    {
        Error = error;
    }

    public OpusError Error { get; }
}
