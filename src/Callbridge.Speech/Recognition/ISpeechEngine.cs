namespace Callbridge.Speech.Recognition;

/// <summary>Creates decoders; bounds how many exist at once since each may hold a full acoustic model.</summary>
public interface ISpeechEngine : IDisposable
{
    /// <summary>Most decoders that may be leased at once.</summary>
    int MaxDecoders { get; }

    /// <summary>Leases a decoder, or returns null when <see cref="MaxDecoders"/> are in use.</summary>
    ISpeechDecoder? TryLease();

    /// <summary>Returns a leased decoder for reuse by another stream.</summary>
    void Return(ISpeechDecoder decoder);
}
