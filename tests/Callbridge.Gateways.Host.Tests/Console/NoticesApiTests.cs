using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Callbridge.Notices.Webhooks;
using Callbridge.TestSupport;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>The notices stream and webhooks over real HTTP against the host process and a real Janus.</summary>
[Collection(HostProcessCollection.Name)]
public sealed class NoticesApiTests(ConsoleHostFixture host, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _http.Dispose();

    private Uri Url(string path) => new(host.BaseUri, path);

    private async Task<HttpStatusCode> StartAsync(long room, string json, string key = ConsoleHostFixture.Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url($"api/v1/conferences/{room}/gateways"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", key);
        using HttpResponseMessage response = await _http.SendAsync(request);
        output.WriteLine($"POST {room} {json} -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    [Fact]
    public Task Decisions_arrive_in_order_and_a_reconnect_with_Last_Event_ID_gets_only_later_ones() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await host.Janus.CreateRoomAsync(requireE2ee: true);
        var stream = Url($"api/v1/conferences/{room}/notices");
        string[] kinds = ["recording", "captions", "dial-out"];
        string[] bodies = ["""{"kind":"recording"}""", """{"kind":"captions"}""", """{"kind":"dial-out","destination":"+4930123456"}"""];
        string[] expectedKinds = ["Recording", "ServerCaptions", "PstnDialOut"];

        await using (SseClient first = await SseClient.OpenAsync(_http, stream, ConsoleHostFixture.Key))
        {
            Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
            Assert.Equal("text/event-stream", first.Response.Content.Headers.ContentType?.MediaType);
            for (int i = 0; i < kinds.Length; i++) Assert.Equal(HttpStatusCode.Conflict, await StartAsync(room, bodies[i]));

            for (int i = 0; i < kinds.Length; i++)
            {
                SseEvent e = await first.NextAsync(EventWait);
                output.WriteLine($"id {e.Id} event {e.Event} {e.Data}");
                Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Id);
                Assert.Equal("decision", e.Event);
                JsonElement n = e.Json;
                Assert.Equal("decision", n.GetProperty("type").GetString());
                Assert.Equal(room.ToString(System.Globalization.CultureInfo.InvariantCulture), n.GetProperty("conference_id").GetString());
                Assert.Equal(expectedKinds[i], n.GetProperty("kind").GetString());
                Assert.Equal("Refuse", n.GetProperty("outcome").GetString());
                Assert.Equal("e2ee.room_policy", n.GetProperty("reason_code").GetString());
                Assert.False(string.IsNullOrWhiteSpace(n.GetProperty("host_message").GetString()));
            }
        }

        // The client saw 1..3 and went away; it comes back having processed only up to 2, and one more decision is made.
        await using SseClient resumed = await SseClient.OpenAsync(_http, stream, ConsoleHostFixture.Key, lastEventId: "2");
        Assert.Equal(HttpStatusCode.Conflict, await StartAsync(room, """{"kind":"recording"}"""));
        SseEvent third = await resumed.NextAsync(EventWait);
        SseEvent fourth = await resumed.NextAsync(EventWait);
        Assert.Equal("3", third.Id);
        Assert.Equal("4", fourth.Id);
        Assert.Equal("PstnDialOut", third.Json.GetProperty("kind").GetString());
        Assert.Equal("Recording", fourth.Json.GetProperty("kind").GetString());
        Assert.True(await resumed.QuietForAsync(TimeSpan.FromSeconds(1)), "an event came after the last decision");
    }, host.LogSources.ToArray());

    [Fact]
    public Task The_stream_takes_the_key_as_access_token_and_no_other_route_does_and_the_token_is_not_logged() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await host.Janus.CreateRoomAsync(requireE2ee: true);
        string token = Uri.EscapeDataString(ConsoleHostFixture.Key);

        await using (SseClient anonymous = await SseClient.OpenAsync(_http, Url($"api/v1/conferences/{room}/notices"), apiKey: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Response.StatusCode);
        }
        await using (SseClient wrong = await SseClient.OpenAsync(_http, Url($"api/v1/conferences/{room}/notices?access_token=not-a-key-0123456789"), apiKey: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.Response.StatusCode);
        }
        using (HttpResponseMessage decisions = await _http.GetAsync(Url($"api/v1/conferences/{room}/decisions?access_token={token}")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, decisions.StatusCode);
            Assert.Equal("urn:callbridge:problem:api-key-missing", (await decisions.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }

        await using SseClient viaQuery = await SseClient.OpenAsync(_http, Url($"api/v1/conferences/{room}/notices?access_token={token}"), apiKey: null);
        Assert.Equal(HttpStatusCode.OK, viaQuery.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, await StartAsync(room, """{"kind":"recording"}"""));
        SseEvent e = await viaQuery.NextAsync(EventWait);
        Assert.Equal("e2ee.room_policy", e.Json.GetProperty("reason_code").GetString());

        // Another tenant's stream of the same room sees none of this tenant's notices.
        await using SseClient other = await SseClient.OpenAsync(_http, Url($"api/v1/conferences/{room}/notices"), ConsoleHostFixture.OtherKey, lastEventId: "0");
        Assert.Equal(HttpStatusCode.OK, other.Response.StatusCode);
        Assert.True(await other.QuietForAsync(TimeSpan.FromSeconds(1)), "the other tenant received this tenant's notice");

        Assert.Contains("/notices", host.Host.Output, StringComparison.Ordinal); // the host logged at Information (routing) ...
        Assert.DoesNotContain(ConsoleHostFixture.Key, host.Host.Output, StringComparison.Ordinal); // ... but never the key
        Assert.DoesNotContain("access_token=", host.Host.Output, StringComparison.Ordinal);
    }, host.LogSources.ToArray());

    [Fact]
    public Task Webhook_receives_signed_decision_notices_that_verify_and_the_delivery_log_shows_them() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await host.Janus.CreateRoomAsync(requireE2ee: true);
        string conference = room.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Conflict, await StartAsync(room, """{"kind":"recording"}"""));
        Assert.Equal(HttpStatusCode.Conflict, await StartAsync(room, """{"kind":"captions"}"""));

        byte[] secret = Encoding.UTF8.GetBytes(ConsoleHostFixture.WebhookSecret);
        var mine = new List<WebhookReceiver.Received>();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (mine.Count < 2)
        {
            WebhookReceiver.Received r = await host.Webhooks.Requests.ReadAsync(wait.Token);
            if (r.NoticeId?.StartsWith(conference + ":", StringComparison.Ordinal) == true) mine.Add(r);
        }

        for (int i = 0; i < 2; i++)
        {
            WebhookReceiver.Received r = mine[i];
            output.WriteLine($"{r.NoticeId} attempt {r.Attempt} {r.Signature} {Encoding.UTF8.GetString(r.Body)}");
            Assert.Equal($"{conference}:{i + 1}", r.NoticeId);
            Assert.Equal("1", r.Attempt);
            Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(secret, r.Signature, r.Body, r.At, WebhookSignature.DefaultTolerance));
            // The same body under another key, or one byte changed, does not verify.
            Assert.Equal(WebhookSignatureCheck.Mismatch, WebhookSignature.Verify("another-secret-0123456789abcdef0123"u8, r.Signature, r.Body, r.At, WebhookSignature.DefaultTolerance));
            byte[] tampered = (byte[])r.Body.Clone();
            tampered[^2] ^= 0x01;
            Assert.Equal(WebhookSignatureCheck.Mismatch, WebhookSignature.Verify(secret, r.Signature, tampered, r.At, WebhookSignature.DefaultTolerance));

            JsonElement body = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal(i + 1, body.GetProperty("sequence").GetInt64());
            JsonElement notice = body.GetProperty("notice");
            Assert.Equal("decision", notice.GetProperty("type").GetString());
            Assert.Equal("e2ee.room_policy", notice.GetProperty("reason_code").GetString());
        }
        Assert.Equal("client_side_captions", JsonDocument.Parse(mine[1].Body).RootElement.GetProperty("notice").GetProperty("alternative_code").GetString());

        // The delivery log reports both as delivered with the receiver's 204.
        JsonElement log = default;
        for (int tries = 0; tries < 50; tries++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url($"api/v1/conferences/{room}/webhook-deliveries"));
            request.Headers.Add("X-Api-Key", ConsoleHostFixture.Key);
            using HttpResponseMessage response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            log = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (log.GetProperty("deliveries").EnumerateArray().Count(d => d.GetProperty("state").GetString() == "Delivered") == 2) break;
            await Task.Delay(100);
        }
        output.WriteLine(log.ToString());
        Assert.True(log.GetProperty("webhookConfigured").GetBoolean());
        JsonElement[] deliveries = [.. log.GetProperty("deliveries").EnumerateArray()];
        Assert.Equal([1L, 2L], deliveries.Select(d => d.GetProperty("noticeId").GetInt64()));
        Assert.All(deliveries, d =>
        {
            Assert.Equal("Delivered", d.GetProperty("state").GetString());
            Assert.Equal("decision", d.GetProperty("noticeType").GetString());
            Assert.Equal(204, Assert.Single(d.GetProperty("attempts").EnumerateArray()).GetProperty("statusCode").GetInt32());
        });

        // A tenant without a webhook has an empty log, and says so.
        using var other = new HttpRequestMessage(HttpMethod.Get, Url($"api/v1/conferences/{room}/webhook-deliveries"));
        other.Headers.Add("X-Api-Key", ConsoleHostFixture.OtherKey);
        using HttpResponseMessage otherResponse = await _http.SendAsync(other);
        JsonElement otherLog = JsonDocument.Parse(await otherResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.False(otherLog.GetProperty("webhookConfigured").GetBoolean());
        Assert.Empty(otherLog.GetProperty("deliveries").EnumerateArray());
    }, host.LogSources.ToArray());

    [Fact]
    public Task Conference_route_returns_the_probe_with_the_host_toggle() => FailureLogs.RunAsync(output, async () =>
    {
        long e2eeRoom = await host.Janus.CreateRoomAsync(requireE2ee: true);
        long plainRoom = await host.Janus.CreateRoomAsync();
        async Task<JsonElement> GetAsync(string id)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url($"api/v1/conferences/{id}"));
            request.Headers.Add("X-Api-Key", ConsoleHostFixture.Key);
            using HttpResponseMessage response = await _http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            output.WriteLine($"GET {id} -> {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        JsonElement e2ee = await GetAsync(e2eeRoom.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(e2ee.GetProperty("exists").GetBoolean());
        Assert.True(e2ee.GetProperty("requiresE2ee").GetBoolean());
        Assert.True(e2ee.GetProperty("e2eeActive").GetBoolean());
        Assert.Equal(0, e2ee.GetProperty("participants").GetInt32());

        JsonElement plain = await GetAsync(plainRoom.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(plain.GetProperty("exists").GetBoolean());
        Assert.False(plain.GetProperty("requiresE2ee").GetBoolean());
        Assert.False(plain.GetProperty("e2eeActive").GetBoolean());
        Assert.Equal("NeverToggled", plain.GetProperty("hostToggle").GetString());

        JsonElement missing = await GetAsync(host.Janus.NextRoomId().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(missing.GetProperty("exists").GetBoolean());

        JsonElement invalid = await GetAsync("not-a-room");
        Assert.Equal("urn:callbridge:problem:conference-id-invalid", invalid.GetProperty("type").GetString());
    }, host.LogSources.ToArray());

    [Fact]
    public Task An_open_stream_ends_when_the_host_stops_so_ctrl_c_is_not_held() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("host-stop");
        await using HostProcess own = await HostProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Callbridge:Janus:Mode"] = "External",
            ["Callbridge:Janus:Url"] = host.Janus.HttpUri.ToString(),
            ["Callbridge:AuditLogPath"] = Path.Combine(folder, "decisions.jsonl"),
            ["Callbridge:Storage:LocalPath"] = Path.Combine(folder, "blobs"),
            ["Callbridge:Tenants:0:Id"] = "stop-tenant",
            ["Callbridge:Tenants:0:ApiKeys:0"] = ConsoleHostFixture.Key,
        });
        await using SseClient open = await SseClient.OpenAsync(_http, new Uri(own.BaseUri, "api/v1/conferences/42/notices"), ConsoleHostFixture.Key);
        Assert.Equal(HttpStatusCode.OK, open.Response.StatusCode);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        own.Interrupt();
        // The stream closes (end of body) rather than hanging until the 30 s drain timeout.
        await Assert.ThrowsAsync<EndOfStreamException>(() => open.NextAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await own.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        output.WriteLine($"stream closed and host exited {stopwatch.ElapsedMilliseconds} ms after SIGINT");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }, host.LogSources.ToArray());
}
