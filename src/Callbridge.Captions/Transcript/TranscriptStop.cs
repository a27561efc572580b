namespace Callbridge.Captions.Transcript;

/// <summary>How captioning ended: from when (offset and wall clock) and why.</summary>
/// <param name="ReasonCode">The negotiator's reason code for a leave-now order; null for a normal stop.</param>
/// <param name="Detail">One plain sentence ("Stopped by the API.", "The conference turned on end-to-end encryption.").</param>
public sealed record TranscriptStop(TimeSpan At, DateTimeOffset WallClock, string? ReasonCode, string Detail, bool Immediate);
