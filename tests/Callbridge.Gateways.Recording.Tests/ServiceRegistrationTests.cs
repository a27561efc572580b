using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Storage;
using Callbridge.Storage.Local;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The one extension the host calls.</summary>
public sealed class ServiceRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConferenceConnector>(new ScriptedConference("1"));
        services.AddSingleton<IBlobSink>(new LocalFolderBlobSink(TestEnvironment.NewFolder("di-blobs")));
        services.AddRecordingGateway(configuration.GetSection("Callbridge:Recording"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Binds_options_and_registers_a_recording_factory_and_the_recovery_service()
    {
        using ServiceProvider provider = Build(new()
        {
            ["Callbridge:Recording:SpoolFolder"] = TestEnvironment.NewFolder("di-spool"),
            ["Callbridge:Recording:UploadInterval"] = "00:00:02",
            ["Callbridge:Recording:CompositeWidth"] = "640",
        });
        RecordingOptions options = provider.GetRequiredService<IOptions<RecordingOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(2), 640, 720), (options.UploadInterval, options.CompositeWidth, options.CompositeHeight));
        IGatewayFactory factory = Assert.Single(provider.GetServices<IGatewayFactory>());
        Assert.Equal(GatewayKind.Recording, factory.Kind);
        Assert.Same(provider.GetRequiredService<RecordingGatewayFactory>(), factory);
        Assert.Single(provider.GetServices<IHostedService>().OfType<RecordingRecoveryService>());
    }

    [Theory]
    [InlineData("CompositeWidth", "641")]
    [InlineData("UploadBlockSize", "1000")]
    [InlineData("UploadInterval", "00:00:00.001")]
    [InlineData("SpoolFolder", "")]
    public void Invalid_settings_are_refused_naming_the_setting(string key, string value)
    {
        using ServiceProvider provider = Build(new() { ["Callbridge:Recording:" + key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RecordingOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
