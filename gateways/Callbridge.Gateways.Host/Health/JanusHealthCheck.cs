using Callbridge.Gateways.Host.Janus;
using Callbridge.Janus;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Callbridge.Gateways.Host.Health;

/// <summary>Ready means Janus answers its info request; the check reports Janus's version.</summary>
internal sealed class JanusHealthCheck(JanusEndpoint endpoint, IHttpClientFactory httpFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!endpoint.HttpUri.IsCompletedSuccessfully)
        {
            return endpoint.HttpUri.IsFaulted
                ? HealthCheckResult.Unhealthy("Janus failed to start: " + endpoint.HttpUri.Exception!.InnerException!.Message)
                : HealthCheckResult.Unhealthy("Janus is starting.");
        }
        try
        {
            var client = new JanusClient(httpFactory.CreateClient("janus"), new JanusClientOptions { BaseUri = endpoint.HttpUri.Result });
            JanusServerInfo info = await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Janus {info.VersionString} at {endpoint.HttpUri.Result}");
        }
        catch (Exception e) when (e is JanusException or HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Janus at {endpoint.HttpUri.Result} does not answer: {e.Message}");
        }
    }
}
