namespace Callbridge.Speech.Recognition;

public enum RecognitionResultKind
{
    /// <summary>Hypothesis so far for the utterance in progress; may still change.</summary>
    Partial,
    /// <summary>The utterance ended: voice activity stopped, the maximum length was reached, or the stream completed.</summary>
    Final,
}
