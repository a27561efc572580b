using System.Net;
using Callbridge.Janus.Embedded;

namespace Callbridge.TestSupport.Sip;

/// <summary>A sipp process; exit code 0 means every call of the scenario succeeded.</summary>
public sealed class SippInstance : IAsyncDisposable, ILogSource
{
    private readonly ChildProcess _process;

    internal SippInstance(string name, ChildProcess process, IPEndPoint sipEndpoint, int mediaPort, string messageLog, string errorLog)
    {
        Name = name;
        _process = process;
        SipEndpoint = sipEndpoint;
        MediaPort = mediaPort;
        MessageLogPath = messageLog;
        ErrorLogPath = errorLog;
    }

    public string Name { get; }

    /// <summary>Where this sipp listens for SIP.</summary>
    public IPEndPoint SipEndpoint { get; }

    public int MediaPort { get; }

    /// <summary>SIP URI reaching this sipp, e.g. sip:callbridge@198.18.0.1:5080.</summary>
    public string Uri(string user = "callbridge") => $"sip:{user}@{SipEndpoint}";

    public string MessageLogPath { get; }

    public string ErrorLogPath { get; }

    public IEnumerable<string> LogPaths => [_process.LogPath!, ErrorLogPath, MessageLogPath];

    public int? ExitCode => _process.ExitCode;

    /// <summary>The sipp process (its CPU time in /proc, for load benches).</summary>
    public int ProcessId => _process.Pid;

    /// <summary>Waits for sipp to finish and returns its exit code (0: all calls succeeded, 1: some failed).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sipp '{Name}' still running after {timeout}");
        }

        return _process.ExitCode ?? -1;
    }

    /// <summary>Waits until sipp has bound its SIP port (a server must listen before a client calls it).</summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sipp '{Name}' exited with {_process.ExitCode} before listening:{Environment.NewLine}{ChildProcess.Tail(_process.LogPath)}");
            }

            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            try
            {
                probe.Bind(SipEndpoint);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return;
            }

            probe.Close();
            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"sipp '{Name}' did not bind {SipEndpoint} within {timeout}");
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync().ConfigureAwait(false);
}
