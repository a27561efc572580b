using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Callbridge.TestSupport;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>The built host DLL as a child process on a free 127.0.0.1 port (a real Kestrel socket, for the browser).
/// Its stdout and stderr go to a log file in the run folder and are kept in memory for assertions.</summary>
internal sealed partial class HostProcess : IAsyncDisposable, ILogSource
{
    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter _log;

    private HostProcess(Process process, Uri baseUri, string logPath)
    {
        _process = process;
        BaseUri = baseUri;
        LogPath = logPath;
        _log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public Uri BaseUri { get; }

    /// <summary>Ctrl-C: the host's graceful stop.</summary>
    public void Interrupt()
    {
        if (Kill(_process.Id, SigInt) != 0) throw new InvalidOperationException($"kill(SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public string LogPath { get; }

    public string Name => "host";

    public IEnumerable<string> LogPaths => [LogPath];

    /// <summary>Everything the host printed so far.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>
    /// The host as a newcomer starts it, on <paramref name="port"/> with its content in <paramref name="contentRoot"/>,
    /// output redirected. It runs under <c>env --default-signal=INT</c>: a test run started in the background by a
    /// non-interactive shell ignores SIGINT, every child inherits that, and .NET keeps an inherited SIGINT ignored,
    /// so the ctrl-c the tests send would never arrive.
    /// </summary>
    public static ProcessStartInfo Command(string hostDll, int port, string contentRoot) => new("env")
    {
        ArgumentList = { "--default-signal=INT", "dotnet", hostDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot },
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };

    /// <summary>Starts the host with <paramref name="settings"/> as command-line configuration and waits until /health/ready answers 200.</summary>
    public static async Task<HostProcess> StartAsync(string folder, IReadOnlyDictionary<string, string> settings)
    {
        string hostDll = typeof(Program).Assembly.Location;
        string contentRoot = Path.Combine(folder, "content");
        Directory.CreateDirectory(contentRoot);
        File.Copy(Path.Combine(Path.GetDirectoryName(hostDll)!, "appsettings.json"), Path.Combine(contentRoot, "appsettings.json"), overwrite: true);
        int port = FreeTcpPort();
        ProcessStartInfo start = Command(hostDll, port, contentRoot);
        // Several hosts run at once: each takes a free SIP port and keeps its recording spool in its own folder.
        start.ArgumentList.Add("--Callbridge:SipBridge:ListenPort=0");
        start.ArgumentList.Add($"--Callbridge:Recording:SpoolFolder={Path.Combine(folder, "recordings")}");
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        var process = Process.Start(start)!;
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}/"), Path.Combine(folder, "host.log"));
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        lock (_log) _log.WriteLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the host exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUri, "health/ready"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // A host still starting on a loaded machine can take longer than one request's timeout: ask again.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the host was not ready within {limit}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
