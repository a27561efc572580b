namespace Callbridge.Ffmpeg;

/// <summary>A program of the wrapper is not installed; the message names the Debian package that provides it.</summary>
public sealed class FfmpegMissingException(string path)
    : Exception($"{path} is missing: install the Debian package '{FfmpegTools.DebianPackage}'.")
{
    public string ProgramPath { get; } = path;
}
