using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>A real Janus, a webhook receiver, and the host process pointed at both (Janus mode External).</summary>
public sealed class ConsoleHostFixture : IAsyncLifetime
{
    public const string Key = "console-tenant-key-0123456789";
    public const string OtherKey = "other-tenant-key-0123456789";

    /// <summary>The webhook secret (test value; 32+ characters as the options require).</summary>
    public const string WebhookSecret = "whsec-test-0123456789abcdef0123456789abcdef";

    private HostProcess? _host;
    private WebhookReceiver? _webhooks;

    public JanusFixture Janus { get; } = new();

    internal HostProcess Host => _host ?? throw new InvalidOperationException("not started");

    internal WebhookReceiver Webhooks => _webhooks ?? throw new InvalidOperationException("not started");

    public Uri BaseUri => Host.BaseUri;

    public string Folder { get; private set; } = "";

    public IEnumerable<ILogSource> LogSources => [Janus, Host];

    public async Task InitializeAsync()
    {
        await Janus.InitializeAsync();
        _webhooks = await WebhookReceiver.StartAsync();
        Folder = TestEnvironment.NewFolder("host-console");
        _host = await HostProcess.StartAsync(Folder, new Dictionary<string, string>
        {
            ["Callbridge:Janus:Mode"] = "External",
            ["Callbridge:Janus:Url"] = Janus.HttpUri.ToString(),
            ["Callbridge:AuditLogPath"] = Path.Combine(Folder, "decisions.jsonl"),
            ["Callbridge:Storage:LocalPath"] = Path.Combine(Folder, "blobs"),
            ["Callbridge:Tenants:0:Id"] = "console-tenant",
            ["Callbridge:Tenants:0:ApiKeys:0"] = Key,
            ["Callbridge:Tenants:0:WebhookUrl"] = _webhooks.Url.ToString(),
            ["Callbridge:Tenants:0:WebhookSecret"] = WebhookSecret,
            ["Callbridge:Tenants:1:Id"] = "other-tenant",
            ["Callbridge:Tenants:1:ApiKeys:0"] = OtherKey,
            // The request-line logger is asked for Information: the host must still keep the access_token out of its log.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_webhooks is not null) await _webhooks.DisposeAsync();
        await Janus.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HostProcessCollection : ICollectionFixture<ConsoleHostFixture>, ICollectionFixture<Callbridge.TestSupport.Browser.BrowserFixture>
{
    public const string Name = "host process";
}
