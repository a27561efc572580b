namespace Callbridge.Gateways.Sip;

/// <summary>
/// Who may be called and how many at once: the allow-list (toll-fraud protection) and the per-tenant limit on
/// concurrent calls. <see cref="Admit"/> either returns a lease that holds one slot until disposed, or throws
/// <see cref="GatewayStartException"/> with "destination-not-allowed" or "limit-reached".
/// </summary>
internal sealed class DialOutPolicy(DialOutOptions options)
{
    private readonly DestinationPattern[] _allowed = [.. options.AllowedDestinations.Select(p => DestinationPattern.TryParse(p, out var d) ? d : null).OfType<DestinationPattern>()];
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int ActiveCalls(string tenantId)
    {
        lock (_gate) return _active.GetValueOrDefault(tenantId);
    }

    /// <summary>Checks <paramref name="destination"/> and takes a slot; returns the normalized number with the lease.</summary>
    public (string Number, IDisposable Lease) Admit(string tenantId, string? destination)
    {
        string? number = destination is null ? null : DestinationPattern.Normalize(destination);
        if (number is null)
            throw new GatewayStartException("destination-not-allowed", "The destination is not a phone number (digits, an optional leading +).");
        if (!_allowed.Any(p => p.Matches(number)))
            throw new GatewayStartException("destination-not-allowed", $"Calls to {number} are not on this service's allow-list.");
        lock (_gate)
        {
            int n = _active.GetValueOrDefault(tenantId);
            if (n >= options.MaxConcurrentCallsPerTenant)
                throw new GatewayStartException("limit-reached", $"The tenant already has {n} phone calls in progress (limit {options.MaxConcurrentCallsPerTenant}).");
            _active[tenantId] = n + 1;
        }
        return (number, new Lease(this, tenantId));
    }

    private void Release(string tenantId)
    {
        lock (_gate)
        {
            int n = _active.GetValueOrDefault(tenantId) - 1;
            if (n <= 0) _active.Remove(tenantId); else _active[tenantId] = n;
        }
    }

    private sealed class Lease(DialOutPolicy owner, string tenantId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(tenantId);
        }
    }
}
