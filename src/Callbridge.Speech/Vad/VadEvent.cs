namespace Callbridge.Speech.Vad;

/// <summary>What a frame meant for the speech/non-speech state.</summary>
public enum VadEvent
{
    /// <summary>Still not in speech.</summary>
    Silence,
    /// <summary>Speech began with this frame (after the onset count).</summary>
    SpeechStart,
    /// <summary>Still in speech (voiced, or inside the hangover).</summary>
    Speech,
    /// <summary>The hangover ran out with this frame: speech has ended.</summary>
    SpeechEnd,
}
