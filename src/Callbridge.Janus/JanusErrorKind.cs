namespace Callbridge.Janus;

/// <summary>Where a Janus request failed.</summary>
public enum JanusErrorKind
{
    /// <summary>The gateway answered <c>{"janus":"error","error":{"code":N,"reason":"..."}}</c>.</summary>
    Gateway,

    /// <summary>The plugin answered with <c>error_code</c>/<c>error</c> in its data (e.g. VideoRoom 433).</summary>
    Plugin,

    /// <summary>Janus answered something that is not the JSON shape the API defines.</summary>
    MalformedResponse,

    /// <summary>The HTTP exchange itself failed (connection refused, non-2xx status, timeout).</summary>
    Transport,

    /// <summary>The session was closed (destroyed, timed out, or disposed) while a request waited.</summary>
    SessionClosed,
}
