using System.Net;
using Callbridge.Janus.Embedded;

namespace Callbridge.TestSupport.Azurite;

/// <summary>
/// Azurite's Blob service (npm azurite 3.37.0 from .tools/) on loopback with a fresh data folder
/// and a free port. Loopback is allowed by the network rule, so this fixture also runs outside
/// the test namespace.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime, ILogSource
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, from Azurite's documentation).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private ChildProcess? _process;

    public string Name => "azurite";

    public int Port { get; private set; }

    public string DataFolder { get; private set; } = string.Empty;

    public string LogPath { get; private set; } = string.Empty;

    public string DebugLogPath { get; private set; } = string.Empty;

    /// <summary>Blob endpoint in path style: http://127.0.0.1:PORT/devstoreaccount1.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>Connection string in the Azure SDK format.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    public IEnumerable<string> LogPaths => [LogPath, DebugLogPath];

    public async Task InitializeAsync()
    {
        RequiredPrograms.Require(RequiredPrograms.AzuriteBlob);
        var folder = TestEnvironment.NewFolder("azurite");
        DataFolder = Path.Combine(folder, "data");
        Directory.CreateDirectory(DataFolder);
        LogPath = Path.Combine(folder, "azurite.log");
        DebugLogPath = Path.Combine(folder, "azurite.debug.log");
        Port = FreePorts.Tcp(IPAddress.Loopback);
        await StartProcessAsync().ConfigureAwait(false);
    }

    /// <summary>Stops Azurite as an outage would (its data folder stays); <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    /// <summary>Starts Azurite again on the same port and data folder, as after an outage.</summary>
    public Task RestartAsync() => StartProcessAsync();

    private async Task StartProcessAsync()
    {
        var program = RequiredPrograms.Require(RequiredPrograms.AzuriteBlob);
        _process = ChildProcess.Start(
            program,
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", DataFolder, "--skipApiVersionCheck", "--loose", "--debug", DebugLogPath],
            Path.GetDirectoryName(DataFolder)!,
            LogPath);

        // Node and Azurite start in about 1-2 s here; 30 s covers a busy 2-core machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"azurite-blob exited with {_process.ExitCode}:{Environment.NewLine}{ChildProcess.Tail(LogPath)}");
            }

            try
            {
                // Any HTTP answer (an auth error for this anonymous request) means it listens.
                using var response = await http.GetAsync(new Uri(BlobEndpoint + "?comp=list")).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"azurite-blob not ready on port {Port} within 30 s:{Environment.NewLine}{ChildProcess.Tail(LogPath)}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
