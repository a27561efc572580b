namespace Callbridge.Ffmpeg;

public enum MediaStreamKind
{
    Other,
    Audio,
    Video,
}

/// <summary>One stream of a probed file.</summary>
/// <param name="Codec">ffmpeg's codec name, e.g. "opus", "vp8".</param>
/// <param name="Width">Video only.</param>
/// <param name="SampleRate">Audio only, in Hz.</param>
public sealed record MediaStreamInfo(
    int Index,
    MediaStreamKind Kind,
    string Codec,
    int? Width,
    int? Height,
    int? SampleRate,
    int? Channels,
    TimeSpan? StartTime,
    TimeSpan? Duration);
