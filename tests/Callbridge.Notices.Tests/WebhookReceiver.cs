using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Callbridge.Notices.Tests;

/// <summary>A real HTTP receiver (Kestrel on 127.0.0.1) whose answers the test scripts.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(int Index, DateTimeOffset At, string? Signature, string? NoticeId, string? Attempt, string? ContentType, byte[] Body);

    public sealed record Answer(int Status, TimeSpan Delay = default, string? RetryAfter = null);

    private readonly LoopbackHost _host;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<(Received Request, int Status)> _answered = new();
    private int _count;

    private WebhookReceiver(LoopbackHost host) => _host = host;

    public Uri Endpoint => new(_host.BaseAddress, "/hook");
    public IReadOnlyList<Received> Requests => [.. _received];
    /// <summary>Requests in the order their answers were sent, with the status.</summary>
    public IReadOnlyList<(Received Request, int Status)> Answered => [.. _answered];

    public static async Task<WebhookReceiver> StartAsync(Func<Received, Answer> script)
    {
        WebhookReceiver? receiver = null;
        LoopbackHost host = await LoopbackHost.StartAsync(app => app.MapPost("/hook", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            var r = new Received(Interlocked.Increment(ref receiver!._count), DateTimeOffset.UtcNow,
                http.Request.Headers["Callbridge-Signature"], http.Request.Headers["Callbridge-Notice-Id"],
                http.Request.Headers["Callbridge-Attempt"], http.Request.ContentType, body.ToArray());
            receiver._received.Enqueue(r);
            Answer answer = script(r);
            if (answer.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(answer.Delay, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (answer.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = answer.RetryAfter;
            }

            http.Response.StatusCode = answer.Status;
            receiver._answered.Enqueue((r, answer.Status));
        }));
        receiver = new WebhookReceiver(host);
        return receiver;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
