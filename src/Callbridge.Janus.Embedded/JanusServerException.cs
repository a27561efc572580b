namespace Callbridge.Janus.Embedded;

/// <summary>A private Janus failed to start; <see cref="LogTail"/> holds the end of its log.</summary>
public sealed class JanusServerException : Exception
{
    public JanusServerException(JanusServerError error, string message, string? logTail = null, Exception? inner = null)
        : base(logTail is null ? message : message + Environment.NewLine + "--- janus log tail ---" + Environment.NewLine + logTail, inner)
    {
        Error = error;
        LogTail = logTail;
    }

    public JanusServerException()
        : this(JanusServerError.NotReady, "Janus did not start")
    {
    }

    public JanusServerException(string message)
        : this(JanusServerError.NotReady, message)
    {
    }

    public JanusServerException(string message, Exception inner)
        : this(JanusServerError.NotReady, message, null, inner)
    {
    }

    public JanusServerError Error { get; }

    public string? LogTail { get; }
}
