using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Gateways.Host.Api;
using Callbridge.Gateways.Host.Notices;
using Callbridge.Negotiation;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>Scripted rooms by id (one <see cref="ScriptedConference"/> each); a room can be ended (gone from the SFU).</summary>
internal sealed class ScriptedRooms : IConferenceConnector
{
    private readonly ConcurrentDictionary<string, ScriptedConference> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ended = new(StringComparer.Ordinal);

    public ScriptedConference Add(string id, bool requiresE2ee = false) => _rooms[id] = new ScriptedConference(id, requiresE2ee);

    public void End(string id) => _ended[id] = true;

    public Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(conferenceId, out _)) throw new ConferenceException(ConferenceErrorKind.InvalidId, "Janus room ids are numbers.");
        return _rooms.TryGetValue(conferenceId, out ScriptedConference? room) && !_ended.ContainsKey(conferenceId)
            ? room.ProbeAsync(conferenceId, cancellationToken)
            : Task.FromResult(new ConferenceProbe(conferenceId, false, false, 0, null));
    }

    public Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken) =>
        _rooms.TryGetValue(request.ConferenceId, out ScriptedConference? room)
            ? room.JoinAsync(request, cancellationToken)
            : throw new ConferenceException(ConferenceErrorKind.NotFound, "No such room.");
}

/// <summary>Every notice of one tenant and conference, as a live SSE subscriber receives them.</summary>
internal sealed class NoticeLog : IDisposable
{
    private readonly NoticeSubscription _subscription;
    private readonly List<NoticeEnvelope> _seen = [];
    private readonly Task _pump;

    public NoticeLog(NoticeBroadcaster broadcaster)
    {
        _subscription = broadcaster.Subscribe(lastEventId: 0);
        _pump = Task.Run(async () =>
        {
            await foreach (NoticeEnvelope e in _subscription.Reader.ReadAllAsync())
                lock (_seen) _seen.Add(e);
        });
    }

    public IReadOnlyList<HostNotice> All
    {
        get { lock (_seen) return [.. _seen.Select(e => e.Notice)]; }
    }

    public IReadOnlyList<T> Of<T>() where T : HostNotice => [.. All.OfType<T>()];

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : HostNotice
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Of<T>().FirstOrDefault(match) is { } found) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"no {typeof(T).Name} matched; seen: {string.Join(" | ", All.Select(Describe))}");
    }

    public static string Describe(HostNotice n) => n switch
    {
        GatewayStateNotice s => $"{s.Type} {s.GatewayId} {s.State} {s.ReasonCode}",
        DecisionNotice d => $"{d.Type} {d.GatewayId} {d.Outcome} {d.ReasonCode}",
        _ => n.Type,
    };

    public void Dispose() => _subscription.Dispose();
}

/// <summary>
/// The host in process (TestServer) with stand-in gateway factories for recording, captions and dial-out and
/// scripted rooms in place of Janus: the supervisor, the API and the notices are the real ones.
/// </summary>
internal sealed class SupervisorHost : IAsyncDisposable
{
    public const string Key = "supervisor-tenant-key-0123456789";
    public const string OtherKey = "supervisor-other-key-0123456789";

    private readonly ITestOutputHelper _output;

    /// <param name="kestrel">Serve on a real 127.0.0.1 socket (for a browser) instead of the in-memory test server.</param>
    public SupervisorHost(ITestOutputHelper output, Action<IWebHostBuilder>? configure = null, bool kestrel = false)
    {
        _output = output;
        string data = TestEnvironment.NewFolder("supervisor");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            // Janus is never contacted: the scripted rooms replace the conference connector.
            b.UseTestHost("http://127.0.0.1:9/janus", data).UseTenant(0, "tenant-a", Key).UseTenant(1, "tenant-b", OtherKey);
            b.UseSetting("Callbridge:Gateways:LeaveConfirmDeadline", "00:00:01");
            b.UseSetting("Callbridge:Gateways:ConferenceProbeInterval", "00:00:00.200");
            b.ConfigureTestServices(services =>
            {
                services.RemoveAll<IConferenceConnector>();
                services.AddSingleton<IConferenceConnector>(Rooms);
                services.RemoveAll<IGatewayFactory>();
                services.AddSingleton<IGatewayFactory>(Recording);
                services.AddSingleton<IGatewayFactory>(Captions);
                services.AddSingleton<IGatewayFactory>(DialOut);
            });
            configure?.Invoke(b);
        });
        if (kestrel)
        {
            using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                BaseUri = new Uri($"http://127.0.0.1:{port}/");
                Factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
            }
            Factory.StartServer();
            Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseUri };
        }
        else
        {
            Client = Factory.CreateClient();
        }
    }

    /// <summary>The host's address when served on Kestrel.</summary>
    public Uri? BaseUri { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient Client { get; }

    public ScriptedRooms Rooms { get; } = new();

    public StandInGatewayFactory Recording { get; } = new(GatewayKind.Recording);

    public StandInGatewayFactory Captions { get; } = new(GatewayKind.ServerCaptions);

    public StandInGatewayFactory DialOut { get; } = new(GatewayKind.PstnDialOut);

    public NoticeLog Notices(string conferenceId, string tenantId = "tenant-a")
    {
        TenantEntry tenant = Factory.Services.GetRequiredService<IOptions<TenantOptions>>().Value.Tenants.Single(t => t.Id == tenantId);
        return new NoticeLog(Factory.Services.GetRequiredService<TenantNoticeDirectory>().For(tenant).Hub.For(conferenceId));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string? key = Key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        using HttpResponseMessage response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        _output.WriteLine($"{method} {path} {json} -> {(int)response.StatusCode} {text}");
        if (!response.IsSuccessStatusCode) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Starts a gateway and returns its id (asserting 202 Running).</summary>
    public async Task<string> StartAsync(string room, string body)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, $"/api/v1/conferences/{room}/gateways", body);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("Running", json.GetProperty("state").GetString());
        return json.GetProperty("gatewayId").GetString()!;
    }

    public async Task<JsonElement> StatusAsync(string room, string gatewayId)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, $"/api/v1/conferences/{room}/gateways/{gatewayId}");
        Assert.Equal(HttpStatusCode.OK, status);
        return json;
    }

    /// <summary>Polls the status until the gateway has an outcome.</summary>
    public async Task<JsonElement> EndedStatusAsync(string room, string gatewayId, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        JsonElement status;
        do
        {
            status = await StatusAsync(room, gatewayId);
            if (status.GetProperty("outcome").ValueKind == JsonValueKind.Object) return status;
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException("no outcome: " + status);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
