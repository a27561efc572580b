using Callbridge.Captions.Transcript;

namespace Callbridge.ClientCaptions.Rendering;

/// <summary>
/// The local WebVTT transcript: rewritten whole after each final (a temporary file renamed over the old one), so
/// that the file on disk is always a complete, valid WebVTT document even if the process is killed.
/// </summary>
public sealed class WebVttFile(string path)
{
    private readonly Lock _gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Write(CaptionTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        byte[] bytes = TranscriptWebVtt.WriteUtf8(transcript);
        lock (_gate)
        {
            string temporary = Path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, Path, overwrite: true);
        }
    }
}
