using System.Diagnostics;
using System.Threading.Channels;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// A bench process started by <see cref="BenchRun"/>: this executable in another mode, commanded by lines on
/// its stdin and answering with lines on its stdout ("ready", "stats {json}", "final {json}").
/// </summary>
internal sealed class BenchChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private BenchChild(Process process)
    {
        _process = process;
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _lines.Writer.TryWrite(line);
            }

            _lines.Writer.TryComplete();
        });
    }

    public string Name { get; private init; } = "";

    public int Pid => _process.Id;

    public static BenchChild Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = typeof(BenchChild).Assembly.Location;
        string apphost = Path.ChangeExtension(dll, null);
        var info = new ProcessStartInfo(File.Exists(apphost) ? apphost : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!File.Exists(apphost)) info.ArgumentList.Add(dll);
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        foreach (string arg in args) info.ArgumentList.Add(arg);
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + name);
        return new BenchChild(process) { Name = name };
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The next stdout line starting with <paramref name="prefix"/> (the prefix and a space removed); other lines are echoed.</summary>
    public async Task<string> ExpectAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].TrimStart();
                Console.WriteLine($"  [{Name}] {line}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no '{prefix}' within {timeout.TotalSeconds:0} s");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{Name} exited (code {(_process.HasExited ? _process.ExitCode : -1)}) before '{prefix}'");
        }
    }

    public async Task<string> AskAsync(string command, string answer, TimeSpan timeout)
    {
        await SendAsync(command).ConfigureAwait(false);
        return await ExpectAsync(answer, timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
