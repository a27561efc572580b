namespace Callbridge.Speech.Recognition;

/// <summary>Why an utterance was closed.</summary>
public enum FinalReason
{
    /// <summary>Not a final result.</summary>
    None,
    /// <summary>Voice activity stopped for the VAD's hangover time.</summary>
    EndOfSpeech,
    /// <summary>Continuous speech reached <see cref="RecognizerOptions.MaxUtterance"/>; recognition goes on in a new utterance.</summary>
    MaxDuration,
    /// <summary>The audio stream was completed while speech was in progress.</summary>
    EndOfStream,
}
