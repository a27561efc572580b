using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>A tenant's webhook endpoint: Kestrel on 127.0.0.1 (a free port) keeping each request's raw body and headers.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();

    internal sealed record Received(byte[] Body, string? Signature, string? NoticeId, string? Attempt, string? ContentType, DateTimeOffset At);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ChannelReader<Received> Requests => _received.Reader;

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/callbridge", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            receiver._received.Writer.TryWrite(new Received(body.ToArray(), http.Request.Headers["Callbridge-Signature"], http.Request.Headers["Callbridge-Notice-Id"],
                http.Request.Headers["Callbridge-Attempt"], http.Request.ContentType, DateTimeOffset.UtcNow));
            return Results.NoContent();
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = new Uri(new Uri(address), "/hooks/callbridge");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
