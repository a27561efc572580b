namespace Callbridge.Gateways;

/// <summary>One caption as a captions gateway delivers it: a partial that later finals replace, or a final.</summary>
/// <param name="UtteranceId">Stable across the partials and the final of one utterance of one speaker.</param>
/// <param name="Start">Offset of the utterance's first word from the start of captioning.</param>
/// <param name="Confidence">0..1 when the engine gives one.</param>
public sealed record CaptionUpdate(
    string ParticipantId,
    string? DisplayName,
    string UtteranceId,
    string Text,
    bool IsFinal,
    TimeSpan Start,
    TimeSpan End,
    double? Confidence);
