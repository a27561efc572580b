namespace Callbridge.TestSupport.Media;

/// <summary>One stream as ffprobe reports it.</summary>
/// <param name="Index">Stream index in the container.</param>
/// <param name="CodecType">"audio", "video", ...</param>
/// <param name="CodecName">e.g. "opus", "pcm_s16le", "vp8".</param>
/// <param name="SampleRate">Hz, audio only.</param>
/// <param name="Channels">Audio only.</param>
/// <param name="Width">Pixels, video only.</param>
/// <param name="Height">Pixels, video only.</param>
/// <param name="DurationSeconds">Stream duration if the container gives one.</param>
public sealed record FfprobeStream(int Index, string CodecType, string CodecName, int? SampleRate, int? Channels, int? Width, int? Height, double? DurationSeconds);
