using System.Text.Json;
using Callbridge.Storage.Local;

namespace Callbridge.Gateways.Recording.Spool;

/// <summary>
/// One recording's folder on local disk: spool.json, the track files, and the deliverables made at the
/// end. "done" marks a recording whose deliverables are all uploaded (the folder is normally deleted then).
/// </summary>
internal sealed class SpoolFolder
{
    public const string StateFileName = "spool.json";
    private const string DoneFileName = "done";

    public SpoolFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string StateFile => System.IO.Path.Combine(Path, StateFileName);

    public bool IsDone => File.Exists(System.IO.Path.Combine(Path, DoneFileName));

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes spool.json durably: a temporary file fsync'd, renamed over the old one, then the folder fsync'd.</summary>
    public void WriteState(SpoolState state)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, RecordingJsonContext.Default.SpoolState);
        string temp = StateFile + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            file.Write(json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, StateFile, overwrite: true);
        FileSystemSync.FlushDirectory(Path);
    }

    /// <summary>Reads spool.json; null when it is missing or unreadable (a folder that never got as far as its first track).</summary>
    public SpoolState? ReadState()
    {
        if (!File.Exists(StateFile)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(StateFile), RecordingJsonContext.Default.SpoolState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void MarkDone()
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, DoneFileName), []);
        FileSystemSync.FlushDirectory(Path);
    }
}
