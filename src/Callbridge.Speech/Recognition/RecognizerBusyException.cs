namespace Callbridge.Speech.Recognition;

/// <summary>Every decoder of the engine is leased; carries the limit that was hit.</summary>
public sealed class RecognizerBusyException : Exception
{
    public RecognizerBusyException(int maxDecoders)
        : base($"All {maxDecoders} speech decoders are in use.")
    {
        MaxDecoders = maxDecoders;
    }

    public int MaxDecoders { get; }
}
