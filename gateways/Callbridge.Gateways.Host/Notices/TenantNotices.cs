using Callbridge.Notices;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Gateways.Host.Notices;

/// <summary>
/// One tenant's notice channel: its own per-conference SSE broadcasters (so one tenant never sees another's
/// notices for the same room id), its own webhook dispatcher when it configured a webhook, and the delivery log.
/// </summary>
internal sealed class TenantNotices(string tenantId, NoticeHub hub, HostNoticeService service, WebhookDispatcher? webhooks, WebhookDeliveryLog deliveries)
{
    public string TenantId { get; } = tenantId;

    public NoticeHub Hub { get; } = hub;

    /// <summary>Every notice goes through here: same id and order on the SSE stream and the webhook.</summary>
    public HostNoticeService Service { get; } = service;

    public WebhookDispatcher? Webhooks { get; } = webhooks;

    public WebhookDeliveryLog Deliveries { get; } = deliveries;
}
