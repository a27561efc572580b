using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Notices.Tests;

/// <summary>Signed webhooks against a real Kestrel receiver on 127.0.0.1 (run inside `unshare -n`).</summary>
public sealed class WebhookTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("whsec-test-0123456789abcdef0123456789abcdef");

    private static WebhookOptions Fast(Uri endpoint, int maxAttempts = 5, TimeSpan? timeout = null) => new()
    {
        Endpoint = endpoint,
        Secret = Secret,
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(40),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    private static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The documented recipe, written from scratch here: HMAC-SHA256(secret, t + "." + body), hex.</summary>
    private static bool VerifyByRecipe(string header, byte[] body)
    {
        string[] parts = header.Split(',');
        string t = parts.Single(p => p.StartsWith("t=", StringComparison.Ordinal))[2..];
        string v1 = parts.Single(p => p.StartsWith("v1=", StringComparison.Ordinal))[3..];
        byte[] signed = [.. Encoding.ASCII.GetBytes(t + "."), .. body];
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(Secret, signed));
        long age = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(t, CultureInfo.InvariantCulture);
        return expected == v1 && Math.Abs(age) < 300;
    }

    /// <summary>The same recipe through openssl (Debian `openssl`), as a receiver's shell script would do it.</summary>
    private static async Task<string> OpensslHmacHex(string t, byte[] body)
    {
        var start = new System.Diagnostics.ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "dgst", "-sha256", "-hmac", Encoding.UTF8.GetString(Secret) })
        {
            start.ArgumentList.Add(arg);
        }

        System.Diagnostics.Process? started;
        try
        {
            started = System.Diagnostics.Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("openssl is missing: install the Debian package `openssl`.", ex);
        }

        using System.Diagnostics.Process process = started ?? throw new InvalidOperationException("openssl could not be started (Debian package `openssl`).");
        await process.StandardInput.BaseStream.WriteAsync(Encoding.ASCII.GetBytes(t + "."));
        await process.StandardInput.BaseStream.WriteAsync(body);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output.Trim().Split("= ")[^1];
    }

    [Fact]
    public async Task Retries_5xx_then_delivers_with_a_verifiable_signature_and_logs_every_attempt()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(r => new(r.Index <= 2 ? 503 : 200));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint), log, TimeProvider.System, () => 0.5);
        var broadcaster = new NoticeBroadcaster("conf-w");
        NoticeEnvelope envelope = broadcaster.Publish(Notices.Decision("conf-w"));
        Assert.True(dispatcher.Enqueue(envelope));
        await dispatcher.CompleteAsync();

        DeliveryRecord record = log.Get("conf-w", 1)!;
        Assert.Equal(DeliveryState.Delivered, record.State);
        Assert.Equal(new int?[] { 503, 503, 200 }, record.Attempts.Select(a => a.StatusCode));
        Assert.Equal([1, 2, 3], record.Attempts.Select(a => a.Number));
        // Equal jitter with random 0.5: 3/4 of 40 ms, then 3/4 of 80 ms.
        Assert.Equal(new TimeSpan?[] { TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(60), null }, record.Attempts.Select(a => a.RetryIn));
        Assert.All(record.Attempts, a => Assert.True(a.Latency > TimeSpan.Zero));
        Assert.True(record.Attempts[1].StartedAt - record.Attempts[0].StartedAt >= TimeSpan.FromMilliseconds(30));

        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal("conf-w:1", r.NoticeId);
            Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
            Assert.True(VerifyByRecipe(r.Signature!, r.Body), "signature does not verify by the documented recipe");
            Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, r.Signature, r.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        });
        Assert.Equal(["1", "2", "3"], receiver.Requests.Select(r => r.Attempt));
        WebhookReceiver.Received last = receiver.Requests[2];
        string[] fields = last.Signature!.Split(',');
        Assert.Equal(fields[1][3..], await OpensslHmacHex(fields[0][2..], last.Body));
        using JsonDocument body = JsonDocument.Parse(receiver.Requests[2].Body);
        Assert.Equal(1, body.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal("decision", body.RootElement.GetProperty("notice").GetProperty("type").GetString());
        Assert.Equal("e2ee.room_policy", body.RootElement.GetProperty("notice").GetProperty("reason_code").GetString());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(302)]
    public async Task Client_errors_and_redirects_are_not_retried(int status)
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ => new(status));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint), log, TimeProvider.System);
        dispatcher.Enqueue(new NoticeBroadcaster("c").Publish(Notices.State("c", 1)));
        await dispatcher.CompleteAsync();
        DeliveryRecord record = log.Get("c", 1)!;
        Assert.Equal(DeliveryState.Rejected, record.State);
        Assert.Equal(status, Assert.Single(record.Attempts).StatusCode);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Too_many_requests_honours_retry_after()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(r => r.Index == 1 ? new(429, RetryAfter: "1") : new(204));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint), log, TimeProvider.System);
        dispatcher.Enqueue(new NoticeBroadcaster("c").Publish(Notices.State("c", 1)));
        await dispatcher.CompleteAsync();
        DeliveryRecord record = log.Get("c", 1)!;
        Assert.Equal(DeliveryState.Delivered, record.State);
        Assert.Equal(new int?[] { 429, 204 }, record.Attempts.Select(a => a.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(1), record.Attempts[0].RetryIn);
        Assert.True(receiver.Requests[1].At - receiver.Requests[0].At >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Retry_after_beyond_the_limit_ends_the_delivery()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ => new(429, RetryAfter: "3600"));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint), log, TimeProvider.System);
        dispatcher.Enqueue(new NoticeBroadcaster("c").Publish(Notices.State("c", 1)));
        await dispatcher.CompleteAsync();
        Assert.Equal(DeliveryState.Rejected, log.Get("c", 1)!.State);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Timeout_is_retried()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(r => r.Index == 1 ? new(200, Delay: TimeSpan.FromSeconds(5)) : new(200));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint, timeout: TimeSpan.FromMilliseconds(800)), log, TimeProvider.System);
        dispatcher.Enqueue(new NoticeBroadcaster("c").Publish(Notices.State("c", 1)));
        await dispatcher.CompleteAsync();
        DeliveryRecord record = log.Get("c", 1)!;
        Assert.Equal(DeliveryState.Delivered, record.State);
        Assert.Equal((null, "timeout"), (record.Attempts[0].StatusCode, record.Attempts[0].Error));
        Assert.InRange(record.Attempts[0].Latency, TimeSpan.FromMilliseconds(790), TimeSpan.FromSeconds(4));
        // Only the first request is held by the receiver; on a loaded machine a later one may also time out.
        Assert.Equal(200, record.Attempts[^1].StatusCode);
        Assert.All(record.Attempts.SkipLast(1), a => Assert.Equal("timeout", a.Error));
    }

    [Fact]
    public async Task Connection_refused_is_retried_then_given_up()
    {
        // A port that was just free on loopback: nothing listens, so every attempt is refused.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Close();
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(new Uri($"http://127.0.0.1:{port}/hook"), maxAttempts: 3), log, TimeProvider.System);
        dispatcher.Enqueue(new NoticeBroadcaster("c").Publish(Notices.State("c", 1)));
        await dispatcher.CompleteAsync();
        DeliveryRecord record = log.Get("c", 1)!;
        Assert.Equal(DeliveryState.GaveUp, record.State);
        Assert.Equal(3, record.Attempts.Count);
        Assert.All(record.Attempts, a => Assert.StartsWith("network: ", a.Error, StringComparison.Ordinal));
        Assert.Null(record.Attempts[2].RetryIn);
    }

    [Fact]
    public async Task Notices_of_a_conference_arrive_in_order_despite_failures()
    {
        var random = new Random(11);
        var gate = new Lock();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ =>
        {
            lock (gate) { return new(random.Next(3) == 0 ? 500 : 200); }
        });
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint, maxAttempts: 20), log, TimeProvider.System);
        var a = new NoticeBroadcaster("a");
        var b = new NoticeBroadcaster("b");
        for (int i = 1; i <= 15; i++)
        {
            dispatcher.Enqueue(a.Publish(Notices.State("a", i)));
            dispatcher.Enqueue(b.Publish(Notices.State("b", i)));
        }

        await dispatcher.CompleteAsync();
        foreach (string conference in new[] { "a", "b" })
        {
            Assert.All(log.ForConference(conference), r => Assert.Equal(DeliveryState.Delivered, r.State));
            Assert.Equal(15, log.ForConference(conference).Count);
            // Every request for notice n+1 comes after notice n was answered 2xx.
            var answered = receiver.Answered.Where(x => x.Request.NoticeId!.StartsWith(conference + ":", StringComparison.Ordinal)).ToList();
            long delivered = 0;
            foreach ((WebhookReceiver.Received request, int status) in answered)
            {
                long n = long.Parse(request.NoticeId![(conference.Length + 1)..], CultureInfo.InvariantCulture);
                Assert.Equal(delivered + 1, n);
                if (status == 200)
                {
                    delivered = n;
                }
            }

            Assert.Equal(15, delivered);
        }

        Assert.Contains(receiver.Answered, x => x.Status == 500);
    }

    [Fact]
    public async Task A_notice_given_up_does_not_block_the_next()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(r => new(r.Index <= 2 ? 502 : 200));
        var log = new WebhookDeliveryLog();
        using HttpClient http = Client();
        await using var dispatcher = new WebhookDispatcher(http, Fast(receiver.Endpoint, maxAttempts: 2), log, TimeProvider.System);
        var c = new NoticeBroadcaster("c");
        dispatcher.Enqueue(c.Publish(Notices.State("c", 1)));
        dispatcher.Enqueue(c.Publish(Notices.State("c", 2)));
        await dispatcher.CompleteAsync();
        Assert.Equal([DeliveryState.GaveUp, DeliveryState.Delivered], log.ForConference("c").Select(r => r.State));
    }
}
