using Callbridge.Conference;
using Callbridge.Negotiation;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>IGatewayFactory for <see cref="GatewayKind.PstnDialOut"/>: the allow-list and the tenant limit are
/// checked before anything is dialled ("destination-not-allowed", "limit-reached"), and so are post-dial digits
/// ("invalid-digits").</summary>
internal sealed class SipDialOutGatewayFactory(SipBridgeRuntime runtime, IConferenceConnector connector, ILoggerFactory logs) : IGatewayFactory
{
    private readonly DialOutPolicy _policy = new(runtime.Options.DialOut);

    public GatewayKind Kind => GatewayKind.PstnDialOut;

    internal DialOutPolicy Policy => _policy;

    public async Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (runtime.Options.Trunk.OutboundProxy is null)
            throw new GatewayStartException("trunk-not-configured", "No SIP trunk is configured for dial-out (SipBridge:Trunk:OutboundProxy).");
        if (!PostDialDigits.TrySplit(launch.Destination, out string? destination, out PostDialDigits? digits, out string? digitsError))
            throw new GatewayStartException("invalid-digits", digitsError!);
        var (number, slot) = _policy.Admit(launch.TenantId, destination);
        var probe = await connector.ProbeAsync(launch.ConferenceId, cancellationToken).ConfigureAwait(false);
        if (!probe.Exists)
        {
            slot.Dispose();
            throw new GatewayStartException("conference-not-found", $"No conference {launch.ConferenceId}.");
        }
        var rtp = runtime.OpenRtp(launch.ConferenceId);
        var gateway = new DialOutGateway(launch, rtp, slot, digits, logs.CreateLogger<DialOutGateway>(), runtime.Time);
        try
        {
            await gateway.StartAsync(runtime, connector, number, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return gateway;
    }
}
