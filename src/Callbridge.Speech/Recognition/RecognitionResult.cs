namespace Callbridge.Speech.Recognition;

/// <summary>
/// One recognizer output for one speaker. Times are offsets from the start of that speaker's stream,
/// computed from sample counts (not wall clock), so they are exact and reproducible.
/// </summary>
/// <param name="Confidence">Posterior probability 0..1 of the hypothesis when the engine gives one; null otherwise.</param>
public sealed record RecognitionResult(
    string SpeakerId,
    RecognitionResultKind Kind,
    FinalReason Reason,
    int UtteranceIndex,
    TimeSpan Start,
    TimeSpan End,
    string Text,
    double? Confidence)
{
    public bool IsFinal => Kind == RecognitionResultKind.Final;
}
