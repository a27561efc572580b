using Callbridge.Gateways.Sip;
using Callbridge.Negotiation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>Dial-out policy (allow-list, tenant limit), PIN lockout, caller masking and settings validation.</summary>
public class PolicyTests
{
    [Theory]
    [InlineData("+1555XXXXXXX", "+15550100199", true)]
    [InlineData("+1555XXXXXXX", "+1555010019", false)]
    [InlineData("+1555XXXXXXX", "+155501001990", false)]
    [InlineData("+4930*", "+4930123", true)]
    [InlineData("+4930*", "+4940123", false)]
    [InlineData("+4930*", "+4930", true)]
    [InlineData("112", "112", true)]
    [InlineData("112", "+112", false)]
    public void PatternsMatchDigitsXAndTrailingStar(string pattern, string number, bool matches)
    {
        Assert.True(DestinationPattern.TryParse(pattern, out var p));
        Assert.Equal(matches, p.Matches(number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("+1+555")]
    [InlineData("1555*9")]
    [InlineData("sip:*")]
    public void MalformedPatternsAreRejected(string pattern) => Assert.False(DestinationPattern.TryParse(pattern, out _));

    [Theory]
    [InlineData("+1 (555) 010-0199", "+15550100199")]
    [InlineData(" 0049.30.1234 ", "0049301234")]
    [InlineData("sip:+15550100199@evil.example", null)]
    [InlineData("+1555#1", null)]
    [InlineData("12", null)]
    [InlineData("+1234567890123456", null)]
    public void DestinationsAreNormalizedOrRefused(string destination, string? expected) =>
        Assert.Equal(expected, DestinationPattern.Normalize(destination));

    [Fact]
    public void AllowListAndTenantLimitGiveTheirCodesAndSlotsComeBack()
    {
        var policy = new DialOutPolicy(new DialOutOptions { AllowedDestinations = ["+1555XXXXXXX"], MaxConcurrentCallsPerTenant = 2 });
        var denied = Assert.Throws<GatewayStartException>(() => policy.Admit("t1", "+19005550100"));
        Assert.Equal("destination-not-allowed", denied.Code);
        Assert.Equal("destination-not-allowed", Assert.Throws<GatewayStartException>(() => policy.Admit("t1", "sip:+15550100199@x")).Code);
        Assert.Equal("destination-not-allowed", Assert.Throws<GatewayStartException>(() => policy.Admit("t1", null)).Code);
        var (n1, a) = policy.Admit("t1", "+1 555 010 0199");
        Assert.Equal("+15550100199", n1);
        var (_, b) = policy.Admit("t1", "+15550100198");
        Assert.Equal("limit-reached", Assert.Throws<GatewayStartException>(() => policy.Admit("t1", "+15550100197")).Code);
        // Another tenant has its own count.
        using (policy.Admit("t2", "+15550100197").Lease) Assert.Equal(1, policy.ActiveCalls("t2"));
        a.Dispose();
        a.Dispose(); // idempotent: a slot is returned once
        Assert.Equal(1, policy.ActiveCalls("t1"));
        using var c = policy.Admit("t1", "+15550100197").Lease;
        b.Dispose();
        Assert.Equal(1, policy.ActiveCalls("t1"));
    }

    [Fact]
    public async Task FactoryRefusesBeforeDialling()
    {
        var options = Options.Create(new SipBridgeOptions
        {
            Trunk = new TrunkOptions { OutboundProxy = "198.18.0.1:5099" },
            DialOut = new DialOutOptions { AllowedDestinations = ["+1555*"] },
        });
        var runtime = new SipBridgeRuntime(options, TimeProvider.System);
        var factory = new SipDialOutGatewayFactory(runtime, new TestSupport.Conference.ScriptedConference("1"), NullLoggerFactory.Instance);
        Assert.Equal(GatewayKind.PstnDialOut, factory.Kind);
        var e = await Assert.ThrowsAsync<GatewayStartException>(() => factory.StartAsync(new GatewayLaunch("t", "1", "g1", "+4930123", new NullObserver()), CancellationToken.None));
        Assert.Equal("destination-not-allowed", e.Code);
        var none = new SipDialOutGatewayFactory(new SipBridgeRuntime(Options.Create(new SipBridgeOptions()), TimeProvider.System),
            new TestSupport.Conference.ScriptedConference("1"), NullLoggerFactory.Instance);
        Assert.Equal("trunk-not-configured", (await Assert.ThrowsAsync<GatewayStartException>(() => none.StartAsync(new GatewayLaunch("t", "1", "g1", "+15551234567", new NullObserver()), CancellationToken.None))).Code);
    }

    [Fact]
    public void LockoutCountsWrongPinsPerCallerWithinTheWindow()
    {
        var time = new ManualClock();
        var lockout = new PinLockout(3, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), time);
        Assert.False(lockout.RecordFailure("+15550001"));
        Assert.False(lockout.RecordFailure("+15550001"));
        Assert.False(lockout.RecordFailure("+15550002"));
        Assert.True(lockout.RecordFailure("+15550001"));
        Assert.True(lockout.IsLockedOut("+15550001"));
        Assert.False(lockout.IsLockedOut("+15550002"));
        time.Now += TimeSpan.FromMinutes(15);
        Assert.False(lockout.IsLockedOut("+15550001"));
        // Failures older than the window are forgotten; a right PIN forgets the rest.
        Assert.False(lockout.RecordFailure("+15550002"));
        time.Now += TimeSpan.FromMinutes(16);
        Assert.False(lockout.RecordFailure("+15550002"));
        Assert.False(lockout.RecordFailure("+15550002"));
        lockout.RecordSuccess("+15550002");
        Assert.False(lockout.RecordFailure("+15550002"));
    }

    [Fact]
    public void LockoutMemoryIsBounded()
    {
        var lockout = new PinLockout(3, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), new ManualClock());
        lockout.RecordFailure("victim");
        lockout.RecordFailure("victim");
        lockout.RecordFailure("victim");
        for (int i = 0; i < PinLockout.MaxCallers + 50; i++) lockout.RecordFailure("+1" + i);
        // A flood of fresh numbers evicts unlocked entries, never a locked one.
        Assert.True(lockout.IsLockedOut("victim"));
    }

    [Theory]
    [InlineData("+15550001234", "Phone •••••••1234")]
    [InlineData("1234", "Phone caller")]
    [InlineData(null, "Phone caller")]
    [InlineData("anonymous", "Phone caller")]
    public void CallerNumbersAreMaskedToTheLastFourDigits(string? number, string expected) =>
        Assert.Equal(expected, CallerMask.DisplayName(number));

    [Theory]
    [InlineData("ListenAddress", "not-an-ip")]
    [InlineData("DialIn:+15550100:Pin", "12a4")]
    [InlineData("DialIn:+15550100:ConferenceId", "")]
    [InlineData("Trunk:OutboundProxy", "trunk.example.com")]
    [InlineData("DialOut:AllowedDestinations:0", "sip:*")]
    [InlineData("RtpPortMin", "30000")]
    public void InvalidSettingsFailValidation(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["DialIn:+15550100:ConferenceId"] = "1234", [key] = value };
        var services = new ServiceCollection().AddSipBridge(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var sp = services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SipBridgeOptions>>().Value);
    }

    [Fact]
    public void ValidSettingsBindAndRegisterListenerAndFactory()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ListenAddress"] = "198.18.0.1",
            ["DialIn:+15550100:ConferenceId"] = "1234",
            ["DialIn:+15550100:Pin"] = "4321",
            ["Trunk:OutboundProxy"] = "198.18.0.1:5080",
            ["DialOut:AllowedDestinations:0"] = "+1555*",
        };
        var services = new ServiceCollection().AddLogging()
            .AddSingleton<Callbridge.Conference.IConferenceConnector>(new TestSupport.Conference.ScriptedConference("1234"))
            .AddSingleton(new CapabilityNegotiator(new Negotiation.Audit.InMemoryDecisionAuditLog(), TimeProvider.System))
            .AddSipBridge(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var sp = services.BuildServiceProvider();
        var o = sp.GetRequiredService<IOptions<SipBridgeOptions>>().Value;
        Assert.Equal("4321", o.DialIn["+15550100"].Pin);
        Assert.Equal(GatewayKind.PstnDialOut, Assert.Single(sp.GetServices<IGatewayFactory>()).Kind);
        Assert.IsType<SipDialInListener>(Assert.Single(sp.GetServices<Microsoft.Extensions.Hosting.IHostedService>()));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

internal sealed class NullObserver : IGatewayObserver
{
    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) { }
    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) { }
    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) { }
    public void OnCaption(IGateway gateway, CaptionUpdate caption) { }
    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
}
