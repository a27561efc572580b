namespace Callbridge.Speech.Whisper.Protocol;

/// <summary>Why a worker stdout line was rejected.</summary>
internal enum WorkerParseError
{
    None,
    /// <summary>Not a JSON object.</summary>
    NotJson,
    /// <summary>Neither an "event" nor an "id".</summary>
    UnknownShape,
    /// <summary>A field has the wrong type, or a segment lacks text/t0/t1.</summary>
    BadField,
}
