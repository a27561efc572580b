namespace Callbridge.Ffmpeg;

/// <summary>Every stream of every input copied, without transcoding, into one file (the container follows the output's extension).</summary>
public sealed record RemuxRequest(IReadOnlyList<TimedInput> Inputs, string OutputPath);
