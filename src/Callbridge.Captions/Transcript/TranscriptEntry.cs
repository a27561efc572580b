namespace Callbridge.Captions.Transcript;

/// <summary>One final caption as kept in the transcript.</summary>
/// <param name="Start">Offset of the utterance from the start of captioning.</param>
/// <param name="Emitted">When the final was delivered, on the same clock as <paramref name="Start"/>; Emitted - End is the final's delay.</param>
/// <param name="Reason">Why the utterance was closed: "end-of-speech", "max-duration" or "end-of-stream".</param>
public sealed record TranscriptEntry(
    string ParticipantId,
    string? DisplayName,
    string UtteranceId,
    string Text,
    TimeSpan Start,
    TimeSpan End,
    double? Confidence,
    TimeSpan Emitted,
    string Reason);
