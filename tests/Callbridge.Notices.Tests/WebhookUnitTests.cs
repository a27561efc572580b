using System.Text;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Notices.Tests;

public sealed class WebhookUnitTests
{
    private static readonly byte[] Secret = "k"u8.ToArray();
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Signature_matches_a_known_vector_and_detects_tampering()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"sequence\":1}");
        string header = WebhookSignature.Sign(Secret, 1_800_000_000, body);
        // Computed with openssl: printf '1800000000.{"sequence":1}' | openssl dgst -sha256 -hmac k
        Assert.Equal("t=1800000000,v1=d8f67930bfc528a23d1d7f3f3fcce9d940598c193e01e4208f1db797c9c943b7", header);
        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, header, body, Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Mismatch, WebhookSignature.Verify(Secret, header, Encoding.UTF8.GetBytes("{\"sequence\":2}"), Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Mismatch, WebhookSignature.Verify("other"u8, header, body, Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.TimestampOutOfTolerance, WebhookSignature.Verify(Secret, header, body, Now.AddMinutes(6), WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Missing, WebhookSignature.Verify(Secret, null, body, Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Malformed, WebhookSignature.Verify(Secret, "v1=00", body, Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Malformed, WebhookSignature.Verify(Secret, "t=abc,v1=00", body, Now, WebhookSignature.DefaultTolerance));
        Assert.Equal(WebhookSignatureCheck.Malformed, WebhookSignature.Verify(Secret, "t=1800000000", body, Now, WebhookSignature.DefaultTolerance));
        // During a secret rotation several v1 values are sent; one match is enough.
        string rotated = "t=1800000000,v1=" + new string('0', 64) + "," + header.Split(',')[1];
        Assert.Equal(WebhookSignatureCheck.Valid, WebhookSignature.Verify(Secret, rotated, body, Now, WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public void Signature_header_fuzz_only_yields_typed_results()
    {
        var random = new Random(5);
        const string alphabet = "t=v1,0123456789abcdefXYZ -";
        byte[] body = "{}"u8.ToArray();
        for (int i = 0; i < 100_000; i++)
        {
            var chars = new char[random.Next(0, 90)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.True(Enum.IsDefined(WebhookSignature.Verify(Secret, new string(chars), body, Now, WebhookSignature.DefaultTolerance)));
        }
    }

    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1000)]
    [InlineData(2, 0.0, 1000)]
    [InlineData(3, 0.5, 3000)]
    [InlineData(4, 1.0, 8000)]
    [InlineData(5, 1.0, 8000)]
    [InlineData(40, 0.0, 4000)]
    public void Backoff_doubles_up_to_the_ceiling_with_equal_jitter(int failures, double random, int expectedMs)
    {
        var options = new WebhookOptions
        {
            Endpoint = new Uri("http://127.0.0.1/"),
            Secret = Secret,
            InitialBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(8),
        };
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WebhookDispatcher.Backoff(failures, options, random));
    }

    [Fact]
    public async Task Enqueue_after_shutdown_or_conference_end_is_logged_as_dropped_not_thrown()
    {
        var log = new WebhookDeliveryLog();
        using var http = new HttpClient();
        var options = new WebhookOptions { Endpoint = new Uri("http://127.0.0.1:9/"), Secret = Secret };
        await using var dispatcher = new WebhookDispatcher(http, options, log, TimeProvider.System);
        var c = new Callbridge.Notices.Broadcast.NoticeBroadcaster("c");
        dispatcher.EndConference("c");   // nothing queued yet: no worker, nothing to end
        await dispatcher.CompleteAsync();
        Assert.False(dispatcher.Enqueue(c.Publish(Notices.State("c", 1))));
        Assert.Equal(DeliveryState.Dropped, log.Get("c", 1)!.State);
        Assert.Empty(log.Get("c", 1)!.Attempts);
    }

    [Fact]
    public void Delivery_log_is_bounded()
    {
        var log = new WebhookDeliveryLog(capacity: 3);
        for (int i = 1; i <= 5; i++)
        {
            log.Put(new DeliveryRecord("c", i, "t", DeliveryState.Delivered, []));
        }

        Assert.Equal([3L, 4, 5], log.ForConference("c").Select(r => r.NoticeId));
        Assert.Null(log.Get("c", 1));
    }
}
