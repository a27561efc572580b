using System.Text.Json;
using Microsoft.Playwright;

namespace Callbridge.TestSupport.Browser;

/// <summary>One Chromium process with the participant page open; its console goes to a log file.</summary>
public sealed class BrowserParticipant : IAsyncDisposable, ILogSource
{
    private readonly IBrowserContext _context;
    private readonly StreamWriter _console;
    private readonly Lock _consoleLock = new();

    internal BrowserParticipant(string name, IBrowserContext context, IPage page, string consoleLogPath, StreamWriter console)
    {
        Name = name;
        _context = context;
        Page = page;
        ConsoleLogPath = consoleLogPath;
        _console = console;
    }

    public string Name { get; }

    public IPage Page { get; }

    /// <summary>The page's console messages and errors.</summary>
    public string ConsoleLogPath { get; }

    public IEnumerable<string> LogPaths => [ConsoleLogPath];

    internal void WriteConsole(string line)
    {
        lock (_consoleLock)
        {
            try
            {
                _console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
            catch (ObjectDisposedException)
            {
                // Console output after close: dropped.
            }
        }
    }

    /// <summary>Joins a VideoRoom as publisher (publishing if asked) and optionally subscribes to everyone.</summary>
    public async Task<ParticipantJoinResult> JoinAsync(ParticipantJoinOptions options)
    {
        var json = JsonSerializer.Serialize(options);
        var result = await Page.EvaluateAsync<string>("async o => JSON.stringify(await window.cb.join(JSON.parse(o)))", json).ConfigureAwait(false);
        return JsonSerializer.Deserialize<ParticipantJoinResult>(result) ?? throw new InvalidOperationException("cb.join returned null");
    }

    /// <summary>getStats() summed over the page's PeerConnections.</summary>
    public async Task<ParticipantStats> GetStatsAsync()
    {
        var result = await Page.EvaluateAsync<string>("async () => JSON.stringify(await window.cb.stats())").ConfigureAwait(false);
        return JsonSerializer.Deserialize<ParticipantStats>(result) ?? throw new InvalidOperationException("cb.stats returned null");
    }

    /// <summary>Polls stats until <paramref name="condition"/> holds; returns the last stats either way.</summary>
    public async Task<ParticipantStats> WaitForStatsAsync(Func<ParticipantStats, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        var stats = await GetStatsAsync().ConfigureAwait(false);
        while (!condition(stats) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250).ConfigureAwait(false);
            stats = await GetStatsAsync().ConfigureAwait(false);
        }

        return stats;
    }

    /// <summary>Stops publishing (VideoRoom <c>unpublish</c>) and stays in the room.</summary>
    public async Task UnpublishAsync() => await Page.EvaluateAsync("() => window.cb.unpublish()").ConfigureAwait(false);

    public async Task LeaveAsync() => await Page.EvaluateAsync("() => window.cb.leave()").ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            // The browser already went away; nothing left to close.
        }

        lock (_consoleLock)
        {
            _console.Dispose();
        }
    }
}
