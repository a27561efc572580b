using System.Net;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;
using Callbridge.TestSupport.Sip;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>
/// Post-dial keys of a dial-out ("+1555...;postd=ww1234#", e.g. a remote bridge's PIN) against real callees that
/// report what they received: baresip, whose answer negotiates telephone-event, gets RFC 4733 events and logs each
/// key; a sipp callee without telephone-event checks one SIP INFO per key, in order.
/// </summary>
public sealed class DialOutDtmfTests(SippFixture sipp, BaresipFixture baresip, ITestOutputHelper output)
    : IClassFixture<SippFixture>, IClassFixture<BaresipFixture>
{
    private const string Callee = "+15550100199";

    private static (SipDialOutGatewayFactory Factory, SipBridgeRuntime Runtime, ScriptedConference Conference) Create(IPEndPoint trunk)
    {
        var options = new SipBridgeOptions
        {
            ListenAddress = TestEnvironment.TestIp.ToString(),
            ListenPort = 0,
            Trunk = new TrunkOptions { OutboundProxy = trunk.ToString() },
            DialOut = new DialOutOptions { AllowedDestinations = ["+1555XXXXXXX"] },
        };
        var runtime = new SipBridgeRuntime(Options.Create(options), TimeProvider.System);
        var conference = new ScriptedConference("77");
        return (new SipDialOutGatewayFactory(runtime, conference, NullLoggerFactory.Instance), runtime, conference);
    }

    [Fact]
    public Task Baresip_receives_the_post_dial_keys_as_rfc4733_events_in_order() => FailureLogs.RunAsync(output, async () =>
    {
        string folder = TestEnvironment.NewFolder("dtmf-baresip");
        string silence = Path.Combine(folder, "silence.wav");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Sox, ["-n", "-r", "8000", "-c", "1", "-b", "16", silence, "trim", "0", "30"], TimeSpan.FromSeconds(30));
        // The account's user is the dialled number, so baresip takes the INVITE for sip:+15550100199@its-address.
        var callee = baresip.Start(new BaresipOptions { Name = "dtmf-callee", User = Callee, AudioSourceWav = silence, RunFor = TimeSpan.FromSeconds(20) });
        await callee.WaitUntilReadyAsync(TimeSpan.FromSeconds(15));
        var (factory, runtime, _) = Create(callee.SipEndpoint);
        await using var _r = runtime;
        var gateway = (DialOutGateway)await factory.StartAsync(new GatewayLaunch("t1", "77", "out-dtmf", Callee + ";postd=ww1234#w*05", new NullObserver()), CancellationToken.None);

        var method = await gateway.PostDialDigitsSent.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(DtmfSendMethod.Rfc4733, method);
        // The end packets of the last key need a few ticks to leave before the BYE.
        await Task.Delay(300);
        await gateway.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(8, gateway.FinalRtpStatistics!.DigitsSent);
        await callee.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal("1234#*05", callee.ReceivedDtmf());
        // Each key started and ended (its end packets arrived) before the next one started.
        Assert.Equal("1234#*05".SelectMany(k => new[] { (k, false), (k, true) }), callee.ReceivedDtmfEvents());
    }, baresip);

    [Fact]
    public Task Without_telephone_event_the_keys_go_as_one_sip_info_each_in_order() => FailureLogs.RunAsync(output, async () =>
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "uas_info_dtmf.xml"), Path.Combine(sipp.Folder, "uas_info_dtmf.xml"), overwrite: true);
        var trunk = sipp.Start(new SippOptions { Scenario = "uas_info_dtmf.xml", Name = "trunk-info", Timeout = TimeSpan.FromSeconds(40) });
        await trunk.WaitUntilListeningAsync(TimeSpan.FromSeconds(10));
        var (factory, runtime, _) = Create(trunk.SipEndpoint);
        await using var _r = runtime;
        var gateway = (DialOutGateway)await factory.StartAsync(new GatewayLaunch("t1", "77", "out-info", Callee + ";postd=w12w34#", new NullObserver()), CancellationToken.None);

        Assert.Equal(DtmfSendMethod.SipInfo, await gateway.PostDialDigitsSent.WaitAsync(TimeSpan.FromSeconds(20)));
        await gateway.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        // sipp exits 0 only if every INFO carried the expected key, in order, as application/dtmf-relay.
        Assert.Equal(0, await trunk.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, gateway.FinalRtpStatistics!.DigitsSent);
    }, sipp);

    [Fact]
    public async Task Invalid_post_dial_keys_refuse_the_dial_out_before_a_slot_is_taken()
    {
        var (factory, runtime, conference) = Create(new IPEndPoint(TestEnvironment.TestIp, 5999));
        await using var _r = runtime;
        var refused = await Assert.ThrowsAsync<GatewayStartException>(() =>
            factory.StartAsync(new GatewayLaunch("t1", "77", "out-bad", Callee + ";postd=12x", new NullObserver()), CancellationToken.None));
        Assert.Equal("invalid-digits", refused.Code);
        Assert.Equal(0, factory.Policy.ActiveCalls("t1"));
        Assert.Empty(conference.Sessions);
    }

    private sealed class NullObserver : IGatewayObserver
    {
        public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }
        public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }
        public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) { }
        public void OnCaption(IGateway gateway, CaptionUpdate caption) { }
        public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
    }
}
