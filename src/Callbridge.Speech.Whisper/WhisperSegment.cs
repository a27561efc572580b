namespace Callbridge.Speech.Whisper;

/// <summary>One whisper.cpp segment; times are offsets into the transcribed audio, clamped to its length.</summary>
public readonly record struct WhisperSegment(string Text, TimeSpan Start, TimeSpan End);
