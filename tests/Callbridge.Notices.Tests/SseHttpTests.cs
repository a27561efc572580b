using System.Net.ServerSentEvents;
using System.Text;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Sse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Callbridge.Notices.Tests;

/// <summary>The SSE stream served by real Kestrel on 127.0.0.1 and read by the platform's SSE parser.</summary>
public sealed class SseHttpTests
{
    private static Task<LoopbackHost> Serve(NoticeHub hub) => LoopbackHost.StartAsync(app =>
        app.MapGet("/conferences/{id}/notices", async (HttpContext http, string id) =>
        {
            http.Response.ContentType = SseStreamWriter.ContentType;
            http.Response.Headers.CacheControl = "no-store";
            using NoticeSubscription subscription = hub.For(id).Subscribe(SseStreamWriter.ParseLastEventId(http.Request.Headers["Last-Event-ID"]));
            try
            {
                await SseStreamWriter.WriteAsync(subscription, http.Response.Body, TimeProvider.System, TimeSpan.FromSeconds(15), http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client went away.
            }
        }));

    private static async Task<(HttpResponseMessage Response, IAsyncEnumerator<SseItem<string>> Events)> Connect(HttpClient client, string path, string? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        Stream body = await response.Content.ReadAsStreamAsync(ct);
        return (response, SseParser.Create(body).EnumerateAsync(ct).GetAsyncEnumerator(ct));
    }

    private static async Task<SseItem<string>> Next(IAsyncEnumerator<SseItem<string>> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        return events.Current;
    }

    [Fact]
    public async Task Streams_notices_and_resumes_after_reconnect_with_last_event_id()
    {
        var hub = new NoticeHub();
        await using LoopbackHost host = await Serve(hub);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (first, events) = await Connect(client, "/conferences/conf-9/notices", null, cts.Token);
        Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
        while (hub.For("conf-9").SubscriberCount == 0)
        {
            await Task.Delay(5, cts.Token);
        }

        hub.For("conf-9").Publish(Notices.Decision("conf-9"));
        for (int i = 2; i <= 5; i++)
        {
            hub.For("conf-9").Publish(Notices.State("conf-9", i));
        }

        SseItem<string> decision = await Next(events);
        Assert.Equal(("1", "decision"), (decision.EventId, decision.EventType));
        var notice = Assert.IsType<DecisionNotice>(NoticeEnvelope.Deserialize(Encoding.UTF8.GetBytes(decision.Data)));
        Assert.Equal(("conf-9", "e2ee.room_policy"), (notice.ConferenceId, notice.ReasonCode));
        Assert.Contains("\"type\":\"decision\"", decision.Data, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"Refuse\"", decision.Data, StringComparison.Ordinal);
        for (int i = 2; i <= 5; i++)
        {
            SseItem<string> item = await Next(events);
            Assert.Equal((i.ToString(System.Globalization.CultureInfo.InvariantCulture), "gateway_state"), (item.EventId, item.EventType));
        }

        // The connection drops; three notices are published meanwhile.
        await events.DisposeAsync();
        first.Dispose();
        while (hub.For("conf-9").SubscriberCount != 0)
        {
            await Task.Delay(5, cts.Token);
        }

        for (int i = 6; i <= 8; i++)
        {
            hub.For("conf-9").Publish(Notices.State("conf-9", i));
        }

        var (second, resumed) = await Connect(client, "/conferences/conf-9/notices", "5", cts.Token);
        using (second)
        {
            var ids = new List<string?> { (await Next(resumed)).EventId, (await Next(resumed)).EventId, (await Next(resumed)).EventId };
            Assert.Equal(new List<string?> { "6", "7", "8" }, ids);
            hub.For("conf-9").Publish(Notices.State("conf-9", 9));
            SseItem<string> live = await Next(resumed);
            Assert.Equal("9", live.EventId);
            Assert.Equal("gw-9", Assert.IsType<GatewayStateNotice>(NoticeEnvelope.Deserialize(Encoding.UTF8.GetBytes(live.Data))).GatewayId);
            await resumed.DisposeAsync();
        }

        hub.End("conf-9");
    }

    [Fact]
    public async Task Ordering_holds_per_conference_with_concurrent_publishers()
    {
        var hub = new NoticeHub();
        await using LoopbackHost host = await Serve(hub);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (a, ea) = await Connect(client, "/conferences/a/notices", null, cts.Token);
        var (b, eb) = await Connect(client, "/conferences/b/notices", null, cts.Token);
        using (a)
        using (b)
        {
            while (hub.For("a").SubscriberCount == 0 || hub.For("b").SubscriberCount == 0)
            {
                await Task.Delay(5, cts.Token);
            }

            await Task.WhenAll(
                Task.Run(() => { for (int i = 1; i <= 50; i++) { hub.For("a").Publish(Notices.State("a", i)); } }, cts.Token),
                Task.Run(() => { for (int i = 1; i <= 50; i++) { hub.For("b").Publish(Notices.State("b", i)); } }, cts.Token));
            for (int i = 1; i <= 50; i++)
            {
                SseItem<string> x = await Next(ea);
                SseItem<string> y = await Next(eb);
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), x.EventId);
                Assert.Equal("gw-" + i, Assert.IsType<GatewayStateNotice>(NoticeEnvelope.Deserialize(Encoding.UTF8.GetBytes(x.Data))).GatewayId);
                Assert.Equal("gw-" + i, Assert.IsType<GatewayStateNotice>(NoticeEnvelope.Deserialize(Encoding.UTF8.GetBytes(y.Data))).GatewayId);
            }

            await ea.DisposeAsync();
            await eb.DisposeAsync();
        }

        hub.End("a");
        hub.End("b");
    }
}
