using Microsoft.Extensions.Hosting;

namespace Callbridge.Gateways.Recording;

/// <summary>At host start, finishes the recordings a killed process left in the spool folder (in the background: start is not delayed).</summary>
internal sealed class RecordingRecoveryService(RecordingGatewayFactory factory) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await factory.RecoverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
