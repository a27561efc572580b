using System.Buffers.Binary;
using System.Text.Json;
using Callbridge.TestSupport.Media;
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

    /// <summary>
    /// When the page's publication sent its first audio packet, as Chromium's outbound-rtp stats tell it (their
    /// time less 20 ms per later packet); null before any packet.
    /// </summary>
    public async Task<DateTimeOffset?> GetFirstAudioPacketSentAtAsync()
    {
        double ms = await Page.EvaluateAsync<double>("() => window.cb.firstAudioPacketSentAt()").ConfigureAwait(false);
        return ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
    }

    /// <summary>
    /// Turns the page's switchable sender transform (<see cref="ParticipantE2eeOptions.JFrameToggleWorker"/>)
    /// on or off on the running publication.
    /// </summary>
    public async Task SetE2eeTransformAsync(bool enabled) =>
        await Page.EvaluateAsync("e => window.cb.setE2eeTransform(e)", enabled).ConfigureAwait(false);

    /// <summary>Starts recording what the page hears: each remote audio track, now and later, on its own, mono 48 kHz.</summary>
    public async Task StartAudioRecordingAsync() => await Page.EvaluateAsync("() => window.cb.startAudioRecording()").ConfigureAwait(false);

    /// <summary>Stops the recording started by <see cref="StartAudioRecordingAsync"/>: one recording per remote audio track.</summary>
    public async Task<IReadOnlyList<ReceivedAudioRecording>> StopAudioRecordingAsync()
    {
        var json = await Page.EvaluateAsync<string>("async () => JSON.stringify(await window.cb.stopAudioRecording())").ConfigureAwait(false);
        using var doc = JsonDocument.Parse(json);
        int sampleRate = doc.RootElement.GetProperty("sampleRate").GetInt32();
        var result = new List<ReceivedAudioRecording>();
        foreach (var track in doc.RootElement.GetProperty("tracks").EnumerateArray())
        {
            byte[] pcm = Convert.FromBase64String(track.GetProperty("pcm16").GetString() ?? string.Empty);
            var samples = new float[pcm.Length / 2];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2)) / 32768f;
            }

            var display = track.GetProperty("display");
            result.Add(new ReceivedAudioRecording(
                track.GetProperty("feed").GetInt64(),
                display.ValueKind == JsonValueKind.String ? display.GetString() : null,
                new WavAudio(sampleRate, 1, samples)));
        }

        return result;
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
