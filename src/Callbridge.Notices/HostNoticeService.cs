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
    public NoticeEnvelope Publish(HostNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return hub.For(notice.ConferenceId).Publish(notice, webhooks is null ? null : e => webhooks.Enqueue(e));
    }

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
