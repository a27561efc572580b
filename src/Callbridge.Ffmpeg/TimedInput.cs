namespace Callbridge.Ffmpeg;

/// <summary>A media file placed on an output timeline: its first frame lands at <paramref name="Offset"/>.</summary>
public sealed record TimedInput(string Path, TimeSpan Offset);
