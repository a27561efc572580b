namespace Callbridge.WebRtc;

/// <summary>A connection that did not settle in time, with what ICE and DTLS had done by then.</summary>
public sealed class PeerConnectionTimeoutException(TimeSpan timeout, PeerConnectionDiagnostics diagnostics, Exception? inner = null)
    : TimeoutException($"Not connected within {timeout.TotalSeconds:0.#} s: {diagnostics}", inner)
{
    public TimeSpan Timeout { get; } = timeout;

    public PeerConnectionDiagnostics Diagnostics { get; } = diagnostics;
}
