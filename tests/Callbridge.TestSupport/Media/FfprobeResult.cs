namespace Callbridge.TestSupport.Media;

/// <summary>ffprobe's view of a media file.</summary>
/// <param name="FormatName">Container, e.g. "wav", "matroska,webm".</param>
/// <param name="DurationSeconds">Container duration.</param>
/// <param name="Streams">Every stream.</param>
public sealed record FfprobeResult(string FormatName, double? DurationSeconds, IReadOnlyList<FfprobeStream> Streams)
{
    public IEnumerable<FfprobeStream> Audio => Streams.Where(s => s.CodecType == "audio");

    public IEnumerable<FfprobeStream> Video => Streams.Where(s => s.CodecType == "video");
}
