using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Callbridge.Janus.Embedded;

/// <summary>
/// A child program started in its own session and process group (through <c>setsid</c>), so
/// stopping it signals exactly that group: the program and whatever it spawned, nothing else.
/// Standard output and error are appended to a log file.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly StreamWriter? _log;
    private readonly Lock _logLock = new();
    private int _stopped;
    private int _disposed;

    private ChildProcess(Process process, string? logPath, StreamWriter? log)
    {
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Process id; also the process group id (setsid made it the leader).</summary>
    public int Pid => _process.Id;

    /// <summary>File receiving stdout and stderr, if any.</summary>
    public string? LogPath { get; }

    public bool HasExited => Volatile.Read(ref _disposed) != 0 || _process.HasExited;

    /// <summary>Exit code once exited (kept after dispose), else null.</summary>
    public int? ExitCode => Volatile.Read(ref _disposed) != 0 ? _exitCode : (_process.HasExited ? _process.ExitCode : null);

    private int? _exitCode;

    /// <summary>Starts <paramref name="fileName"/> in a new process group.</summary>
    /// <param name="fileName">Program path or name on PATH.</param>
    /// <param name="arguments">Arguments, passed without shell parsing.</param>
    /// <param name="workingDirectory">Working folder (created if missing).</param>
    /// <param name="logPath">File that receives stdout+stderr; null discards them.</param>
    /// <param name="environment">Extra environment variables.</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        string? logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Directory.CreateDirectory(workingDirectory);
        var psi = new ProcessStartInfo("/usr/bin/setsid")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(fileName);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        StreamWriter? log = null;
        if (logPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
            log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logPath, log);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log?.Dispose();
            process.Dispose();
            throw;
        }

        // Children that read stdin see end-of-file instead of blocking on a pipe nobody writes.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the program to exit on its own.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM to the process group, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await WaitQuietly(grace).ConfigureAwait(false);
            return;
        }

        if (!_process.HasExited)
        {
            // Negative pid: the whole group led by our child, and only it.
            _ = Kill(-Pid, SigTerm);
            if (!await WaitQuietly(grace).ConfigureAwait(false))
            {
                _ = Kill(-Pid, SigKill);
                await WaitQuietly(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        else
        {
            // The leader is gone; reap anything it left in its group.
            _ = Kill(-Pid, SigKill);
        }

        // Let the output readers drain before the log closes.
        await WaitQuietly(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        lock (_logLock)
        {
            _log?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _exitCode = _process.HasExited ? _process.ExitCode : null;
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _process.Dispose();
    }

    /// <summary>The last <paramref name="maxLines"/> lines of a text file, or a note when it is missing.</summary>
    public static string Tail(string? path, int maxLines = 60)
    {
        if (path is null || !File.Exists(path))
        {
            return $"(no log at {path ?? "<none>"})";
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = new Queue<string>(maxLines);
            while (reader.ReadLine() is { } line)
            {
                if (lines.Count == maxLines)
                {
                    lines.Dequeue();
                }

                lines.Enqueue(line);
            }

            return string.Join(Environment.NewLine, lines);
        }
        catch (IOException ex)
        {
            return $"(log {path} unreadable: {ex.Message})";
        }
    }

    private async Task<bool> WaitQuietly(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after stop: dropped.
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
