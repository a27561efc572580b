using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;
using Callbridge.TestSupport.Sip;
using Xunit.Abstractions;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>The SIP peers work in the namespace: sipp to sipp, and baresip to sipp with audio both ways.</summary>
public sealed class SipSmokeTests(SippFixture sipp, BaresipFixture baresip, ITestOutputHelper output) : IClassFixture<SippFixture>, IClassFixture<BaresipFixture>
{
    [Fact]
    public Task Sipp_client_completes_a_pcap_call_to_a_sipp_server() => FailureLogs.RunAsync(output, async () =>
    {
        await using var server = sipp.Start(new SippOptions { Name = "uas", Scenario = "uas_pcma_pcap.xml", Timeout = TimeSpan.FromSeconds(40) });
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));

        var clientExit = await sipp.RunAsync(new SippOptions { Name = "uac", Scenario = "uac_pcma_pcap.xml", Target = server.SipEndpoint, Timeout = TimeSpan.FromSeconds(30) });
        var serverExit = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        // sipp exits 0 only when every call of the scenario succeeded.
        Assert.Equal(0, clientExit);
        Assert.Equal(0, serverExit);
        var messages = await File.ReadAllTextAsync(server.MessageLogPath);
        Assert.Contains("INVITE sip:callbridge@", messages, StringComparison.Ordinal);
        Assert.Contains("BYE sip:", messages, StringComparison.Ordinal);
    }, sipp);

    [Fact]
    public Task Baresip_calls_a_sipp_server_and_records_both_directions() => FailureLogs.RunAsync(output, async () =>
    {
        var media = TestEnvironment.NewFolder("media");
        var speech = await SpeechSynth.WriteWavAsync("Hello from baresip. This is a test call.", FliteVoice.Rms, SpeechSynth.TelephonyRate, media);
        await using var server = sipp.Start(new SippOptions { Name = "uas-for-baresip", Scenario = "uas_pcma_pcap.xml", Timeout = TimeSpan.FromSeconds(40) });
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));

        await using var phone = baresip.Start(new BaresipOptions { AudioSourceWav = speech, Dial = server.Uri(), RunFor = TimeSpan.FromSeconds(8) });
        var phoneExit = await phone.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var serverExit = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, phoneExit);
        Assert.Equal(0, serverExit);
        var sent = WavAudio.Read(Assert.Single(phone.SentRecordings));
        var received = WavAudio.Read(Assert.Single(phone.ReceivedRecordings));
        output.WriteLine($"sent {sent.DurationSeconds:F2} s rms {AudioCompare.Rms(sent.Samples):F4}; received {received.DurationSeconds:F2} s rms {AudioCompare.Rms(received.Samples):F4}");

        // What baresip sent is our speech file (same envelope); what it received is sipp's g711a.pcap.
        Assert.Equal(8000, sent.SampleRate);
        Assert.True(sent.DurationSeconds > 1.5, $"sent {sent.DurationSeconds} s");
        var source = WavAudio.Read(speech);
        var (correlation, _) = AudioCompare.NormalizedCrossCorrelation(
            AudioCompare.EnergyEnvelope(source.Samples, source.SampleRate),
            AudioCompare.EnergyEnvelope(sent.Samples, sent.SampleRate),
            maxLag: 50);
        Assert.True(correlation > 0.9, $"sent vs source envelope correlation {correlation}");
        Assert.True(received.DurationSeconds > 1, $"received {received.DurationSeconds} s");
        Assert.True(AudioCompare.Rms(received.Samples) > 0.01, "received audio is silent");
    }, sipp, baresip);
}
