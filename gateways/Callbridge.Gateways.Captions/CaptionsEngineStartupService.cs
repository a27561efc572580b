using Microsoft.Extensions.Hosting;

namespace Callbridge.Gateways.Captions;

/// <summary>Starts the speech engine with the host, so a broken installation or model stops the host at start-up, not at the first caption.</summary>
internal sealed class CaptionsEngineStartupService(CaptionsEngine engine) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await engine.StartAsync(cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
