namespace Callbridge.Janus.Embedded;

/// <summary>Why a private Janus could not be started.</summary>
public enum JanusServerError
{
    /// <summary>The janus program is not installed (Debian package <c>janus</c>).</summary>
    ExecutableMissing,

    /// <summary>Configuration could not be generated (source folder or plugin missing).</summary>
    ConfigInvalid,

    /// <summary>The process exited before it answered.</summary>
    Exited,

    /// <summary>The process runs but did not answer <c>info</c> in time.</summary>
    NotReady,
}
