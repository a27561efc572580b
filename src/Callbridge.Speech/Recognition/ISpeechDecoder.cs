namespace Callbridge.Speech.Recognition;

/// <summary>
/// One engine decoder: consumes 16 kHz mono PCM for one utterance at a time. Owned by exactly one
/// stream at a time; implementations need not be thread-safe.
/// </summary>
public interface ISpeechDecoder : IDisposable
{
    void StartUtterance();

    void Process(ReadOnlySpan<short> samples);

    /// <summary>Best hypothesis so far, or an empty string.</summary>
    string GetPartial();

    /// <summary>Ends the utterance and returns its final text and confidence (null when unknown).</summary>
    (string Text, double? Confidence) EndUtterance();
}
