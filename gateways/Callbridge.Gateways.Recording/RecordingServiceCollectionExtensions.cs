using Callbridge.Conference;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the recording gateway: <see cref="RecordingOptions"/> bound from <paramref name="section"/> and
    /// validated at start-up, <see cref="RecordingGatewayFactory"/> as an <see cref="IGatewayFactory"/>, and a hosted
    /// service that finishes recordings a killed process left behind. Needs <see cref="IConferenceConnector"/> and
    /// <see cref="IBlobSink"/> registered; uses <see cref="IDecisionAuditLog"/>, <see cref="TimeProvider"/> and
    /// logging when present.
    /// </summary>
    public static IServiceCollection AddRecordingGateway(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<RecordingOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new RecordingGatewayFactory(
            sp.GetRequiredService<IConferenceConnector>(),
            sp.GetRequiredService<IBlobSink>(),
            sp.GetRequiredService<IOptions<RecordingOptions>>(),
            sp.GetService<IDecisionAuditLog>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IGatewayFactory>(sp => sp.GetRequiredService<RecordingGatewayFactory>());
        services.AddHostedService<RecordingRecoveryService>();
        return services;
    }
}
