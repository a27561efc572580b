namespace Callbridge.Speech.Whisper.Protocol;

/// <summary>A segment as the worker reports it: milliseconds from the start of the utterance audio.</summary>
internal readonly record struct WorkerSegment(string Text, double StartMs, double EndMs);
