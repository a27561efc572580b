namespace Callbridge.Janus;

/// <summary>A failed Janus request, with the code and reason Janus gave (or the reason we could not read it).</summary>
public sealed class JanusException : Exception
{
    public JanusException(JanusErrorKind kind, int code, string reason, Exception? inner = null)
        : base(FormatMessage(kind, code, reason), inner)
    {
        Kind = kind;
        Code = code;
        Reason = reason;
    }

    public JanusException()
        : this(JanusErrorKind.Transport, 0, "unknown")
    {
    }

    public JanusException(string message)
        : this(JanusErrorKind.Transport, 0, message)
    {
    }

    public JanusException(string message, Exception inner)
        : this(JanusErrorKind.Transport, 0, message, inner)
    {
    }

    public JanusErrorKind Kind { get; }

    /// <summary>Janus error code: gateway codes are 4xx (e.g. 458 no such session), plugin codes are the plugin's own (VideoRoom 426 no such room, 433 E2EE required). 0 when Janus gave none.</summary>
    public int Code { get; }

    public string Reason { get; }

    private static string FormatMessage(JanusErrorKind kind, int code, string reason) =>
        code == 0 ? $"Janus {kind} error: {reason}" : $"Janus {kind} error {code}: {reason}";
}
