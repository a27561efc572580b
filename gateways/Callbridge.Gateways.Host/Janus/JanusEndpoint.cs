namespace Callbridge.Gateways.Host.Janus;

/// <summary>Where the Janus the gateways use answers, once it is known (the embedded one picks free ports at start).</summary>
public sealed class JanusEndpoint
{
    private readonly TaskCompletionSource<Uri> _httpUri = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The HTTP API base URI; completes when the embedded Janus is ready (at once for an external one).</summary>
    public Task<Uri> HttpUri => _httpUri.Task;

    /// <summary>The Janus log, for operators, when the host started Janus itself.</summary>
    public string? LogPath { get; private set; }

    internal void Publish(Uri httpUri, string? logPath)
    {
        LogPath = logPath;
        _httpUri.TrySetResult(httpUri);
    }

    internal void Fail(Exception error) => _httpUri.TrySetException(error);
}
