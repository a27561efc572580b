using Callbridge.Conference;
using Callbridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Captions;

public static class CaptionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the server captions gateway: <see cref="CaptionsOptions"/> bound from <paramref name="section"/> and
    /// validated at start-up (a configured Whisper model that is missing, or no PocketSphinx model, stops the host
    /// with a message naming the setting), the host's one <see cref="CaptionsEngine"/> started with the host,
    /// and <see cref="CaptionsGatewayFactory"/> as an <see cref="IGatewayFactory"/>. Needs
    /// <see cref="IConferenceConnector"/> and <see cref="IBlobSink"/> registered; uses <see cref="TimeProvider"/>
    /// and logging when present.
    /// </summary>
    public static IServiceCollection AddCaptionsGateway(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<CaptionsOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new CaptionsEngine(sp.GetRequiredService<IOptions<CaptionsOptions>>().Value, sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new CaptionsGatewayFactory(
            sp.GetRequiredService<IConferenceConnector>(),
            sp.GetRequiredService<IBlobSink>(),
            sp.GetRequiredService<IOptions<CaptionsOptions>>(),
            sp.GetRequiredService<CaptionsEngine>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IGatewayFactory>(sp => sp.GetRequiredService<CaptionsGatewayFactory>());
        services.AddHostedService<CaptionsEngineStartupService>();
        return services;
    }
}
