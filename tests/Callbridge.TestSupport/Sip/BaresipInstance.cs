using System.Net;
using System.Text.RegularExpressions;
using Callbridge.Janus.Embedded;

namespace Callbridge.TestSupport.Sip;

/// <summary>A running baresip with its generated config folder and sndfile recordings.</summary>
public sealed partial class BaresipInstance : IAsyncDisposable, ILogSource
{
    private readonly ChildProcess _process;

    internal BaresipInstance(string name, ChildProcess process, string configFolder, string recordingFolder, IPEndPoint sipEndpoint, string user)
    {
        Name = name;
        _process = process;
        ConfigFolder = configFolder;
        RecordingFolder = recordingFolder;
        SipEndpoint = sipEndpoint;
        User = user;
    }

    public string Name { get; }

    public string ConfigFolder { get; }

    /// <summary>sndfile's <c>snd_path</c>: dump-*-enc.wav (what baresip sent) and dump-*-dec.wav (what it received).</summary>
    public string RecordingFolder { get; }

    public IPEndPoint SipEndpoint { get; }

    public string User { get; }

    public string Uri => $"sip:{User}@{SipEndpoint}";

    public IEnumerable<string> LogPaths => [_process.LogPath!];

    public int? ExitCode => _process.ExitCode;

    /// <summary>Recordings of the transmit direction (encoder input).</summary>
    public IReadOnlyList<string> SentRecordings => Directory.GetFiles(RecordingFolder, "*-enc.wav").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Recordings of the receive direction (decoder output).</summary>
    public IReadOnlyList<string> ReceivedRecordings => Directory.GetFiles(RecordingFolder, "*-dec.wav").Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// DTMF keys baresip received, in order, read from its log: baresip prints <c>received event: '5' (end=0)</c>
    /// when an RFC 4733 event starts (CALL_DTMF_START) and <c>(end=1)</c> when its end packet arrives; each start
    /// counts once. stdout is block-buffered into the log, so read this after <see cref="WaitForExitAsync"/>.
    /// </summary>
    public string ReceivedDtmf() => string.Concat(ReceivedDtmfEvents().Where(e => !e.End).Select(e => e.Key));

    /// <summary>Every DTMF start and end baresip logged, in order (see <see cref="ReceivedDtmf"/>).</summary>
    public IReadOnlyList<(char Key, bool End)> ReceivedDtmfEvents()
    {
        var log = File.ReadAllText(_process.LogPath!);
        return ReceivedEvent().Matches(log).Select(m => (m.Groups[1].Value[0], m.Groups[2].Value == "1")).ToArray();
    }

    [GeneratedRegex(@"received event: '(.)' \(end=([01])\)")]
    private static partial Regex ReceivedEvent();

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"baresip '{Name}' still running after {timeout}");
        }

        return _process.ExitCode ?? -1;
    }

    /// <summary>Waits until baresip logged "baresip is ready" (its SIP stack listens).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ChildProcess.Tail(_process.LogPath, 200).Contains("baresip is ready", StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"baresip '{Name}' exited with {_process.ExitCode}:{Environment.NewLine}{ChildProcess.Tail(_process.LogPath)}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"baresip '{Name}' not ready within {timeout}:{Environment.NewLine}{ChildProcess.Tail(_process.LogPath)}");
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync().ConfigureAwait(false);
}
