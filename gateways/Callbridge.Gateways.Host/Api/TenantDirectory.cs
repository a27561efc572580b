using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Host.Api;

/// <summary>Finds the tenant an API key belongs to, comparing in constant time so timing leaks nothing.</summary>
internal sealed class TenantDirectory(IOptions<TenantOptions> options)
{
    public TenantEntry? FindByApiKey(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        TenantEntry? match = null;
        foreach (TenantEntry tenant in options.Value.Tenants)
        {
            foreach (string key in tenant.ApiKeys)
            {
                // Every key is compared, found or not, so the time does not depend on where it matched.
                if (CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(key)))) match = tenant;
            }
        }
        return match;
    }
}
