using Callbridge.Conference;
using Callbridge.Storage;
using Callbridge.Storage.Local;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Captions.Tests;

public sealed class CaptionsOptionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(kv => "Callbridge:Captions:" + kv.Key, kv => kv.Value));
        builder.Services.AddSingleton<IConferenceConnector>(new ScriptedConference("1"));
        builder.Services.AddSingleton<IBlobSink>(new LocalFolderBlobSink(TestEnvironment.NewFolder("captions-options")));
        builder.Services.AddCaptionsGateway(builder.Configuration.GetSection(CaptionsOptions.SectionName));
        return builder.Build();
    }

    [Fact]
    public async Task AConfiguredWhisperModelThatIsMissingStopsTheHostAtStartUpNamingTheFile()
    {
        using IHost host = Build(new() { ["WhisperModelPath"] = "/nonexistent/ggml-base.en.bin" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("The Whisper model file '/nonexistent/ggml-base.en.bin' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("ggml-base.en.bin, 142 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutOfRangeSettingsAreNamed()
    {
        // A forced final later than 10 s, or no speaker at all, is a configuration error.
        using IHost host = Build(new()
        {
            ["MaxUtterance"] = "00:00:30", ["MaxSpeakers"] = "0", ["WhisperPartialInterval"] = "00:00:00.050", ["WhisperMaxPartialsInFlight"] = "-1",
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MaxUtterance", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSpeakers", error.Message, StringComparison.Ordinal);
        Assert.Contains("WhisperPartialInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("WhisperMaxPartialsInFlight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingPocketSphinxModelNamesTheDebianPackage()
    {
        using IHost host = Build(new() { ["PocketSphinxModelDirectory"] = "/nonexistent/ps" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("No PocketSphinx model in '/nonexistent/ps'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pocketsphinx-en-us", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultsStartPocketSphinxWithTheHostAndRegisterTheFactory()
    {
        using IHost host = Build(new());
        await host.StartAsync();
        try
        {
            IGatewayFactory factory = Assert.Single(host.Services.GetServices<IGatewayFactory>());
            Assert.Equal(Negotiation.GatewayKind.ServerCaptions, factory.Kind);
            CaptionsEngine engine = host.Services.GetRequiredService<CaptionsEngine>();
            Assert.Equal("pocketsphinx", engine.Name);
            Assert.NotNull(engine.Engine);
            Assert.Equal(8, engine.Engine!.MaxDecoders);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
