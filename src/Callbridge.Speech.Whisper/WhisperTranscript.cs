namespace Callbridge.Speech.Whisper;

/// <summary>The result of one utterance.</summary>
/// <param name="Samples">Samples whisper.cpp received (16 kHz).</param>
/// <param name="Attempts">Worker processes it took: above 1 when a worker died and the audio was re-fed.</param>
public sealed record WhisperTranscript(IReadOnlyList<WhisperSegment> Segments, long Samples, TimeSpan Elapsed, int Attempts)
{
    public string Text => string.Concat(Segments.Select(s => s.Text)).Trim();
}
