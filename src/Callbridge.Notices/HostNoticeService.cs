using Callbridge.Negotiation;
using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;
using Callbridge.Negotiation.Leave;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Notices;

/// <summary>
/// The one place notices are raised: each goes to the conference's SSE broadcaster and, when a webhook is
/// configured, to the webhook queue, with the same id and in the same order for both.
/// </summary>
public sealed class HostNoticeService(NoticeHub hub, WebhookDispatcher? webhooks, TimeProvider time)
{
    public NoticeEnvelope Publish(HostNotice notice) => Publish(notice, toWebhook: true);

    /// <summary>
    /// Publishes to the live stream and, when <paramref name="toWebhook"/>, to the webhook. Live-only notices
    /// (partial captions, which the next partial replaces within a second) still take the next id, so a
    /// webhook receiver sees gaps in the sequence where they were.
    /// </summary>
    public NoticeEnvelope Publish(HostNotice notice, bool toWebhook)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return hub.For(notice.ConferenceId).Publish(notice, webhooks is null || !toWebhook ? null : e => webhooks.Enqueue(e));
    }

    /// <summary>A running gateway was ordered to leave: the order, with its reason and words, as a decision notice.</summary>
    public NoticeEnvelope LeaveOrdered(LeaveNowOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Publish(DecisionNotice.From(order.ConferenceId, order.GatewayId, order.Kind, order.Decision, time.GetUtcNow()));
    }

    /// <summary>A caption: finals go to the webhook too, partials only to the live stream.</summary>
    public NoticeEnvelope Caption(CaptionNotice caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        return Publish(caption, toWebhook: caption.IsFinal);
    }

    /// <summary>The host turned E2EE off: what may be started again.</summary>
    public NoticeEnvelope E2eeTurnedOff(string conferenceId) =>
        Publish(new E2eeImpactNotice(conferenceId, time.GetUtcNow(),
            "End-to-end encryption was turned off by the host: recording, dial-out and server captions may be started again " +
            "(unless the room's policy or the tenant requires E2EE).", [], [])
        {
            HostEnabled = false,
            Consequences = [],
        });

    public NoticeEnvelope ConferenceEnded(string conferenceId, string reason) =>
        Publish(new ConferenceEndedNotice(conferenceId, time.GetUtcNow(), reason));

    /// <summary>A refusal or a leave order is noticed; an Allow is not (it is in the audit log).</summary>
    public NoticeEnvelope? Decided(string conferenceId, string gatewayId, GatewayKind kind, CapabilityDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Outcome == CapabilityOutcome.Allow
            ? null
            : Publish(DecisionNotice.From(conferenceId, gatewayId, kind, decision, time.GetUtcNow()));
    }

    /// <summary>Hook for <see cref="LeaveNowCoordinatorOptions.OnOutcome"/>: the gateway left, or was force-stopped.</summary>
    public NoticeEnvelope LeaveFinished(LeaveOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        LeaveNowOrder order = outcome.Order;
        (GatewayState state, string? detail) = outcome.Status switch
        {
            LeaveStatus.Confirmed => (GatewayState.Left, $"stopped and finalized; reason recorded in {outcome.Confirmation!.ReasonRecordedIn}"),
            _ => (outcome.ForceStopped ? GatewayState.ForceStopped : GatewayState.Failed, outcome.Error),
        };
        return Publish(new GatewayStateNotice(order.ConferenceId, outcome.CompletedAt, order.GatewayId, order.Kind, state, order.Decision.ReasonCode, detail));
    }

    public NoticeEnvelope ImpactPreviewed(string conferenceId, E2eeImpactReport report) =>
        Publish(E2eeImpactNotice.From(conferenceId, report, time.GetUtcNow()));

    public NoticeEnvelope UnsupportedClient(string conferenceId, UnsupportedClientFinding finding) =>
        Publish(UnsupportedClientNotice.From(conferenceId, finding, time.GetUtcNow()));
}
