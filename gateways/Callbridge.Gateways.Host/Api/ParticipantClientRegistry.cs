using Callbridge.Negotiation.Clients;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// The clients participants joined with, as the service's own client declared them (user agent per
/// participant), per tenant and conference: the impact preview and the unsupported-client notices read it.
/// </summary>
internal sealed class ParticipantClientRegistry
{
    /// <summary>A large meeting is a few hundred participants; the cap keeps a misbehaving caller from growing memory.</summary>
    public const int MaxPerConference = 2000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Conference), Dictionary<string, ParticipantClient>> _clients = new();

    /// <summary>Records (or replaces) a participant's client; false when the conference is full.</summary>
    public bool Declare(string tenantId, string conferenceId, ParticipantClient client)
    {
        lock (_gate)
        {
            if (!_clients.TryGetValue((tenantId, conferenceId), out var participants))
            {
                participants = new Dictionary<string, ParticipantClient>(StringComparer.Ordinal);
                _clients.Add((tenantId, conferenceId), participants);
            }
            if (participants.Count >= MaxPerConference && !participants.ContainsKey(client.ParticipantId)) return false;
            participants[client.ParticipantId] = client;
            return true;
        }
    }

    public IReadOnlyList<ParticipantClient> For(string tenantId, string conferenceId)
    {
        lock (_gate)
        {
            return _clients.TryGetValue((tenantId, conferenceId), out var participants)
                ? [.. participants.Values.OrderBy(p => p.ParticipantId, StringComparer.Ordinal)]
                : [];
        }
    }

    /// <summary>Tenants that declared participants in the conference.</summary>
    public IReadOnlyList<string> TenantsIn(string conferenceId)
    {
        lock (_gate)
        {
            return [.. _clients.Keys.Where(k => k.Conference == conferenceId).Select(k => k.Tenant).Distinct(StringComparer.Ordinal)];
        }
    }

    public void Forget(string conferenceId)
    {
        lock (_gate)
        {
            foreach (var key in _clients.Keys.Where(k => k.Conference == conferenceId).ToList()) _clients.Remove(key);
        }
    }
}
