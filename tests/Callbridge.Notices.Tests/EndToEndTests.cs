using System.Text.Json;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;
using Callbridge.Negotiation.Leave;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Notices.Tests;

/// <summary>Preview, E2EE on, leave-now, notices over SSE subscription and a signed webhook to real Kestrel.</summary>
public sealed class EndToEndTests
{
    private sealed class ConfirmingGateway(string id, string recordedIn) : IE2eeLeaveHandler
    {
        public int Calls;

        public Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new LeaveConfirmation(id, order.Decision.ReasonCode, DateTimeOffset.UtcNow, true, recordedIn));
        }
    }

    [Fact]
    public async Task Host_turns_e2ee_on_and_is_told_everything_in_order_over_sse_and_webhook()
    {
        byte[] secret = "end-to-end-secret-0123456789abcdef"u8.ToArray();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(r => new(r.Index == 1 ? 503 : 200));
        var deliveries = new WebhookDeliveryLog();
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        await using var webhooks = new WebhookDispatcher(http, new WebhookOptions
        {
            Endpoint = receiver.Endpoint, Secret = secret, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100),
        }, deliveries, TimeProvider.System);
        var hub = new NoticeHub();
        var notices = new HostNoticeService(hub, webhooks, TimeProvider.System);
        using NoticeSubscription host = hub.For("conf-x").Subscribe();
        var audit = new InMemoryDecisionAuditLog();
        await using var coordinator = new LeaveNowCoordinator(audit, TimeProvider.System, (_, _) => ValueTask.CompletedTask,
            new LeaveNowCoordinatorOptions { OnOutcome = o => notices.LeaveFinished(o) });

        var rec = new ConfirmingGateway("rec", "recording manifest");
        var sip = new ConfirmingGateway("sip", "SIP Reason header");
        await coordinator.RegisterAsync(new GatewayRegistration("conf-x", "rec", GatewayKind.Recording, true, rec));
        await coordinator.RegisterAsync(new GatewayRegistration("conf-x", "sip", GatewayKind.PstnDialIn, true, sip));

        E2eeImpactReport preview = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open,
            [RunningGateway.Of("rec", GatewayKind.Recording, "Recording"), RunningGateway.Of("sip", GatewayKind.PstnDialIn, "Phone caller +1 555 0100")],
            [new ParticipantClient("p2", "Ben", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko")], DateTimeOffset.UtcNow);
        notices.ImpactPreviewed("conf-x", preview);

        IReadOnlyList<LeaveNowOrder> orders = await coordinator.StateChangedAsync("conf-x",
            ConferenceE2eeState.Clear.WithHostToggle(true, DateTimeOffset.UtcNow), TenantPolicy.Open);
        foreach (LeaveNowOrder order in orders)
        {
            notices.Decided(order.ConferenceId, order.GatewayId, order.Kind, order.Decision);
        }

        await coordinator.WhenLeavesSettledAsync();
        notices.UnsupportedClient("conf-x", E2eeClientAdmission.Check(preview.ClientsThatCannotJoin[0].Participant, conferenceIsE2ee: true)!);
        await webhooks.CompleteAsync();

        var seen = new List<NoticeEnvelope>();
        while (host.Reader.TryRead(out NoticeEnvelope? e))
        {
            seen.Add(e);
        }

        Assert.Equal([1L, 2, 3, 4, 5, 6], seen.Select(e => e.Id));
        Assert.IsType<E2eeImpactNotice>(seen[0].Notice);
        Assert.IsType<UnsupportedClientNotice>(seen[5].Notice);
        Assert.Equal(["rec", "sip"], seen.Select(e => e.Notice).OfType<DecisionNotice>().Select(d => d.GatewayId).Order());
        Assert.All(seen.Select(e => e.Notice).OfType<DecisionNotice>(), d => Assert.Equal((CapabilityOutcome.LeaveNow, ReasonCodes.EnabledMidCall), (d.Outcome, d.ReasonCode)));
        GatewayStateNotice[] left = [.. seen.Select(e => e.Notice).OfType<GatewayStateNotice>().OrderBy(g => g.GatewayId)];
        Assert.Equal([("rec", GatewayState.Left), ("sip", GatewayState.Left)], left.Select(g => (g.GatewayId, g.State)));
        Assert.Equal("stopped and finalized; reason recorded in SIP Reason header", left[1].Detail);
        Assert.Equal((1, 1), (rec.Calls, sip.Calls));

        // The webhook saw the same six notices, in the same order, each delivered once after one retry of the first.
        Assert.All(deliveries.ForConference("conf-x"), d => Assert.Equal(DeliveryState.Delivered, d.State));
        long[] delivered = [.. receiver.Answered.Where(a => a.Status == 200).Select(a => JsonDocument.Parse(a.Request.Body).RootElement.GetProperty("sequence").GetInt64())];
        Assert.Equal([1L, 2, 3, 4, 5, 6], delivered);
        Assert.Equal(seen.Select(e => e.Notice.Type),
            receiver.Answered.Where(a => a.Status == 200).Select(a => JsonDocument.Parse(a.Request.Body).RootElement.GetProperty("notice").GetProperty("type").GetString()));
        Assert.All(receiver.Requests, r => Assert.Equal(WebhookSignatureCheck.Valid,
            WebhookSignature.Verify(secret, r.Signature, r.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance)));
        Assert.Contains(audit.Query("conf-x"), e => e.Event == AuditEvent.LeaveConfirmed && e.GatewayId == "sip");
    }
}
