using System.Text;
using System.Text.Json;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Impact;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Notices.Tests;

/// <summary>The notices a supervising host raises for running gateways: captions, call progress, final states, conference end.</summary>
public sealed class GatewayNoticeTests
{
    private static JsonElement Json(NoticeEnvelope e) => JsonDocument.Parse(e.Json).RootElement.Clone();

    [Fact]
    public void New_notice_types_serialize_snake_case_with_their_type_and_round_trip()
    {
        var hub = new NoticeHub();
        var service = new HostNoticeService(hub, null, TimeProvider.System);
        NoticeEnvelope caption = service.Caption(new CaptionNotice("c1", Notices.At, "gw-1", "p-7", "Ana", "u-3", "hello there", true, 1200, 2350, 0.82));
        NoticeEnvelope progress = service.Publish(new CallProgressNotice("c1", Notices.At, "gw-2", GatewayKind.PstnDialOut, "Ringing", "180 Ringing"));
        NoticeEnvelope ended = service.ConferenceEnded("c1", "the room was destroyed");
        NoticeEnvelope final = service.Publish(new GatewayStateNotice("c1", Notices.At, "gw-1", GatewayKind.Recording, GatewayState.LeftForE2ee,
            ReasonCodes.FramesObserved, "left") { Summary = "Recorded 2 participants for 1 min.", Outputs = ["rec/a.webm", "rec/manifest.json"] });
        NoticeEnvelope off = service.E2eeTurnedOff("c1");

        JsonElement c = Json(caption);
        Assert.Equal("caption", c.GetProperty("type").GetString());
        Assert.Equal("u-3", c.GetProperty("utterance_id").GetString());
        Assert.True(c.GetProperty("is_final").GetBoolean());
        Assert.Equal(1200, c.GetProperty("start_ms").GetInt64());
        JsonElement p = Json(progress);
        Assert.Equal(("call_progress", "Ringing", "PstnDialOut"), (p.GetProperty("type").GetString(), p.GetProperty("progress").GetString(), p.GetProperty("kind").GetString()));
        Assert.Equal("conference_ended", Json(ended).GetProperty("type").GetString());
        JsonElement f = Json(final);
        Assert.Equal("LeftForE2ee", f.GetProperty("state").GetString());
        Assert.Equal(["rec/a.webm", "rec/manifest.json"], f.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
        Assert.False(Json(off).GetProperty("host_enabled").GetBoolean());
        Assert.Equal([1L, 2, 3, 4, 5], new[] { caption, progress, ended, final, off }.Select(e => e.Id));

        Assert.Equal("hello there", Assert.IsType<CaptionNotice>(NoticeEnvelope.Deserialize(caption.Json.Span)).Text);
        Assert.Equal("Recorded 2 participants for 1 min.", Assert.IsType<GatewayStateNotice>(NoticeEnvelope.Deserialize(final.Json.Span)).Summary);
    }

    [Fact]
    public void Impact_preview_notice_carries_the_consequences_in_words()
    {
        E2eeImpactReport report = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open,
            [RunningGateway.Of("r", GatewayKind.Recording, "Recording"), RunningGateway.Of("s1", GatewayKind.PstnDialIn, "Caller 1"),
             RunningGateway.Of("s2", GatewayKind.PstnDialOut, "Caller 2")], [], DateTimeOffset.UnixEpoch);
        JsonElement json = Json(new HostNoticeService(new NoticeHub(), null, TimeProvider.System).ImpactPreviewed("c1", report));
        Assert.True(json.GetProperty("host_enabled").GetBoolean());
        Assert.Equal(["the recording will stop", "2 phone callers will be disconnected"], json.GetProperty("consequences").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task Partial_captions_stay_on_the_live_stream_and_finals_reach_the_webhook()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ => new(200));
        var log = new WebhookDeliveryLog();
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        await using var webhooks = new WebhookDispatcher(http, new WebhookOptions { Endpoint = receiver.Endpoint, Secret = "caption-secret-0123456789abcdef0123"u8.ToArray() },
            log, TimeProvider.System);
        var hub = new NoticeHub();
        var service = new HostNoticeService(hub, webhooks, TimeProvider.System);
        using NoticeSubscription live = hub.For("c2").Subscribe();

        service.Caption(new CaptionNotice("c2", Notices.At, "gw", "p", null, "u1", "hel", false, 0, 300, null));
        service.Caption(new CaptionNotice("c2", Notices.At, "gw", "p", null, "u1", "hello wor", false, 0, 900, null));
        service.Caption(new CaptionNotice("c2", Notices.At, "gw", "p", null, "u1", "hello world", true, 0, 1100, 0.9));

        var streamed = new List<long>();
        await foreach (NoticeEnvelope e in live.Reader.ReadAllAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token))
        {
            streamed.Add(e.Id);
            if (streamed.Count == 3) break;
        }
        Assert.Equal([1L, 2, 3], streamed);

        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (receiver.Requests.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        WebhookReceiver.Received posted = Assert.Single(receiver.Requests);
        Assert.Equal("c2:3", posted.NoticeId);
        Assert.Contains("\"hello world\"", Encoding.UTF8.GetString(posted.Body), StringComparison.Ordinal);
        Assert.Equal([3L], log.ForConference("c2").Select(r => r.NoticeId));
    }
}
