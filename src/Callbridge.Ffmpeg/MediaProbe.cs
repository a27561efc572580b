namespace Callbridge.Ffmpeg;

/// <summary>What ffprobe says about a file.</summary>
/// <param name="FormatName">Container names as ffprobe lists them, e.g. "matroska,webm".</param>
/// <param name="StartTime">Earliest timestamp in the file, when known.</param>
/// <param name="Duration">Container duration, when known (a live spool without a Duration element may have none).</param>
public sealed record MediaProbe(string FormatName, TimeSpan? StartTime, TimeSpan? Duration, IReadOnlyList<MediaStreamInfo> Streams)
{
    public IEnumerable<MediaStreamInfo> Audio => Streams.Where(s => s.Kind == MediaStreamKind.Audio);

    public IEnumerable<MediaStreamInfo> Video => Streams.Where(s => s.Kind == MediaStreamKind.Video);
}
