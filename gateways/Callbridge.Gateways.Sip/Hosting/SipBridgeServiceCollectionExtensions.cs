using Callbridge.Gateways;
using Callbridge.Gateways.Sip;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

public static class SipBridgeServiceCollectionExtensions
{
    /// <summary>
    /// The SIP bridge: <see cref="SipBridgeOptions"/> bound from <paramref name="section"/> and validated at start,
    /// the hosted dial-in listener, and the <see cref="IGatewayFactory"/> for PstnDialOut. Needs from the host:
    /// IConferenceConnector, CapabilityNegotiator (with its audit log), and optionally ISipTenantPolicies and TimeProvider.
    /// </summary>
    public static IServiceCollection AddSipBridge(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<SipBridgeOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISipTenantPolicies, OpenTenantPolicies>();
        services.AddSingleton<SipBridgeRuntime>();
        services.AddSingleton<SipDialInListener>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SipDialInListener>());
        services.AddSingleton<IGatewayFactory, SipDialOutGatewayFactory>();
        return services;
    }
}
