using Callbridge.Audio.Opus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>The bridge's settings as an operator writes them: bound from configuration and checked at start.</summary>
public sealed class SipBridgeOptionsTests
{
    private static SipBridgeOptions Bind(Dictionary<string, string?> settings)
    {
        IConfiguration section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<SipBridgeOptions>().Bind(section).ValidateDataAnnotations();
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SipBridgeOptions>>().Value;
    }

    [Fact]
    public void Conference_audio_settings_are_read_from_configuration_and_the_rest_keep_their_defaults()
    {
        SipBridgeOptions options = Bind(new()
        {
            ["ConferenceAudio:OpusApplication"] = "Voip",
            ["ConferenceAudio:OpusComplexity"] = "3",
            ["ConferenceAudio:OpusPacketMilliseconds"] = "20",
        });

        Assert.Equal(OpusApplication.Voip, options.ConferenceAudio.OpusApplication);
        Assert.Equal(3, options.ConferenceAudio.OpusComplexity);
        Assert.Equal(20, options.ConferenceAudio.OpusPacketMilliseconds);
        Assert.Equal(24000, options.ConferenceAudio.OpusBitrate);
        Assert.Equal(5, options.ConferenceAudio.MaxQueuedFrames);
    }

    [Fact]
    public void Conference_audio_settings_out_of_range_are_refused_each_with_its_name()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["ConferenceAudio:OpusComplexity"] = "11",
            ["ConferenceAudio:OpusBitrate"] = "1000",
            ["ConferenceAudio:OpusPacketMilliseconds"] = "30",
            ["ConferenceAudio:MaxQueuedFrames"] = "0",
        }));

        string message = string.Join("\n", ex.Failures);
        Assert.Contains("ConferenceAudio:OpusComplexity must be 0 to 10.", message, StringComparison.Ordinal);
        Assert.Contains("ConferenceAudio:OpusBitrate must be 6000 to 510000 bit/s.", message, StringComparison.Ordinal);
        Assert.Contains("ConferenceAudio:OpusPacketMilliseconds must be 20, 40 or 60.", message, StringComparison.Ordinal);
        Assert.Contains("ConferenceAudio:MaxQueuedFrames must be 1 to 50 (20 ms each).", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Equal(40, Bind([]).ConferenceAudio.OpusPacketMilliseconds);
}
