using System.Globalization;

namespace Callbridge.Janus.Embedded;

/// <summary>
/// A private Janus process: generated configuration, started as a child in its own process
/// group, ready once <c>{"janus":"info"}</c> answers, stopped by signalling only that group.
/// </summary>
public sealed class JanusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly TimeSpan _stopTimeout;

    private JanusServer(JanusConfigLayout layout, ChildProcess process, JanusServerInfo info, TimeSpan stopTimeout)
    {
        Layout = layout;
        _process = process;
        Info = info;
        _stopTimeout = stopTimeout;
    }

    public JanusConfigLayout Layout { get; }

    /// <summary>What Janus reported when it became ready (version, loaded plugins and transports).</summary>
    public JanusServerInfo Info { get; }

    public Uri HttpUri => Layout.HttpUri;

    public Uri? WebSocketUri => Layout.WebSocketUri;

    /// <summary>Janus's own log file.</summary>
    public string LogPath => Layout.LogPath;

    public int ProcessId => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>The end of Janus's log, for failure messages.</summary>
    public string ReadLogTail(int maxLines = 80) => ChildProcess.Tail(LogPath, maxLines);

    /// <summary>Generates the configuration, starts Janus and waits until its HTTP API answers.</summary>
    /// <param name="options">What to start.</param>
    /// <param name="http">Client used for the readiness probe (a private one when null).</param>
    /// <param name="cancellationToken">Cancels the wait; the process is then stopped.</param>
    public static async Task<JanusServer> StartAsync(JanusServerOptions options, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.Executable))
        {
            throw new JanusServerException(JanusServerError.ExecutableMissing, $"{options.Executable} not found: install the Debian package janus");
        }

        var layout = JanusConfigWriter.Write(options);
        string[] args =
        [
            "-F", layout.Folder,
            "-C", layout.MainConfigPath,
            "-L", layout.LogPath,
            // Log only to the file; stdout would duplicate it into the child's pipe.
            "-N",
            "-s", options.SessionTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        var process = ChildProcess.Start(options.Executable, args, Path.GetFullPath(options.WorkFolder), Path.Combine(Path.GetFullPath(options.WorkFolder), "janus.stdout.log"));

        var ownsHttp = http is null;
        http ??= new HttpClient(new SocketsHttpHandler { UseProxy = false });
        try
        {
            var client = new JanusClient(http, new JanusClientOptions { BaseUri = layout.HttpUri, RequestTimeout = TimeSpan.FromSeconds(2) });
            var deadline = DateTime.UtcNow + options.StartupTimeout;
            JanusException? last = null;
            while (DateTime.UtcNow < deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    var tail = ChildProcess.Tail(layout.LogPath);
                    await process.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
                    throw new JanusServerException(JanusServerError.Exited, $"janus exited with code {process.ExitCode} before it was ready", tail);
                }

                try
                {
                    var info = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
                    return new JanusServer(layout, process, info, options.StopTimeout);
                }
                catch (JanusException ex)
                {
                    last = ex;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            var notReadyTail = ChildProcess.Tail(layout.LogPath);
            await process.StopAsync(options.StopTimeout).ConfigureAwait(false);
            throw new JanusServerException(JanusServerError.NotReady, $"janus did not answer info at {layout.HttpUri} within {options.StartupTimeout}: {last?.Message}", notReadyTail);
        }
        catch (OperationCanceledException)
        {
            await process.StopAsync(options.StopTimeout).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (ownsHttp)
            {
                http.Dispose();
            }
        }
    }

    /// <summary>SIGTERM to Janus's process group, SIGKILL after the grace period.</summary>
    public Task StopAsync() => _process.StopAsync(_stopTimeout);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
    }
}
