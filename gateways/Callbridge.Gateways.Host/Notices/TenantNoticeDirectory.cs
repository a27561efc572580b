using System.Collections.Concurrent;
using System.Text;
using Callbridge.Gateways.Host.Api;
using Callbridge.Notices;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Gateways.Host.Notices;

/// <summary>The notice channel of each tenant, made on first use from the tenant's (validated) options.</summary>
internal sealed class TenantNoticeDirectory(IHttpClientFactory httpClients, TimeProvider time, ILogger<TenantNoticeDirectory> logger) : IAsyncDisposable
{
    /// <summary>The named client webhooks are posted with: it does not follow redirects (the dispatcher reports them).</summary>
    public const string WebhookClientName = "webhooks";

    private readonly ConcurrentDictionary<string, Lazy<TenantNotices>> _tenants = new(StringComparer.Ordinal);

    public TenantNotices For(TenantEntry tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _tenants.GetOrAdd(tenant.Id, _ => new Lazy<TenantNotices>(() => Create(tenant))).Value;
    }

    private TenantNotices Create(TenantEntry tenant)
    {
        var hub = new NoticeHub(time: time);
        var log = new WebhookDeliveryLog();
        WebhookDispatcher? webhooks = null;
        if (!string.IsNullOrEmpty(tenant.WebhookUrl) && !string.IsNullOrEmpty(tenant.WebhookSecret))
        {
            webhooks = new WebhookDispatcher(httpClients.CreateClient(WebhookClientName),
                new WebhookOptions { Endpoint = new Uri(tenant.WebhookUrl), Secret = Encoding.UTF8.GetBytes(tenant.WebhookSecret) }, log, time);
            string id = tenant.Id;
            webhooks.DeliveryFinished += record =>
            {
                if (record.State != DeliveryState.Delivered)
                    logger.LogWarning("Webhook delivery of notice {Conference}:{NoticeId} for tenant {Tenant} ended {State} after {Attempts} attempts.",
                        record.ConferenceId, record.NoticeId, id, record.State, record.Attempts.Count);
            };
        }
        return new TenantNotices(tenant.Id, hub, new HostNoticeService(hub, webhooks, time), webhooks, log);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Lazy<TenantNotices> entry in _tenants.Values)
        {
            if (entry.IsValueCreated && entry.Value.Webhooks is { } webhooks) await webhooks.DisposeAsync().ConfigureAwait(false);
        }
    }
}
