namespace Callbridge.Ffmpeg;

/// <summary>Where the programs are. Debian's package "ffmpeg" installs both under /usr/bin.</summary>
/// <param name="FfmpegPath">The ffmpeg program.</param>
/// <param name="FfprobePath">The ffprobe program.</param>
public sealed record FfmpegTools(string FfmpegPath = "/usr/bin/ffmpeg", string FfprobePath = "/usr/bin/ffprobe")
{
    public const string DebianPackage = "ffmpeg";

    public static FfmpegTools Default { get; } = new();

    /// <summary>Throws <see cref="FfmpegMissingException"/> unless both programs exist.</summary>
    public void EnsurePresent()
    {
        if (!File.Exists(FfmpegPath)) throw new FfmpegMissingException(FfmpegPath);
        if (!File.Exists(FfprobePath)) throw new FfmpegMissingException(FfprobePath);
    }
}
