using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>The bridge as the host would run it (runtime + hosted dial-in listener) on the namespace address,
/// in front of a scripted conference and an in-memory audit log.</summary>
internal sealed class BridgeHarness : IAsyncDisposable
{
    public const string PinNumber = "+15550100";
    public const string OpenNumber = "+15550200";
    public const string ConferenceId = "4242";
    public const string Pin = "1234";

    private readonly List<IGateway> _calls = [];

    public BridgeHarness(bool requiresE2ee = false, TimeSpan? probeDelay = null, Action<SipBridgeOptions>? configure = null,
        IConferenceConnector? connector = null, string conferenceId = ConferenceId)
    {
        Conference = new ScriptedConference(conferenceId, requiresE2ee);
        var options = new SipBridgeOptions
        {
            ListenAddress = TestEnvironment.TestIp.ToString(),
            ListenPort = 0,
            DialIn = new(StringComparer.Ordinal)
            {
                [PinNumber] = new DialInNumberOptions { ConferenceId = conferenceId, TenantId = "t1", Pin = Pin },
                [OpenNumber] = new DialInNumberOptions { ConferenceId = conferenceId, TenantId = "t1" },
            },
        };
        configure?.Invoke(options);
        Runtime = new SipBridgeRuntime(Options.Create(options), TimeProvider.System);
        connector ??= probeDelay is { } d ? new SlowProbe(Conference, d) : Conference;
        Listener = new SipDialInListener(Runtime, connector, new CapabilityNegotiator(Audit, TimeProvider.System), new OpenTenantPolicies(), NullLoggerFactory.Instance);
        Listener.DialInStarted += g => { lock (_calls) _calls.Add(g); };
    }

    public ScriptedConference Conference { get; }

    /// <summary>The calls' own sessions (each publishes its caller); the room's shared audio session is not among them.</summary>
    public IReadOnlyList<ScriptedConferenceSession> CallSessions => [.. Conference.Sessions.Where(s => s.Request.Role == BotRole.SubscriberAndPublisher)];

    /// <summary>The subscribe-only sessions of the rooms' shared audio.</summary>
    public IReadOnlyList<ScriptedConferenceSession> AudioSessions => [.. Conference.Sessions.Where(s => s.Request.Role == BotRole.Subscriber)];

    public InMemoryDecisionAuditLog Audit { get; } = new();

    public SipBridgeRuntime Runtime { get; }

    public SipDialInListener Listener { get; }

    public IReadOnlyList<DialInCall> Calls { get { lock (_calls) return [.. _calls.Cast<DialInCall>()]; } }

    public async Task StartAsync() => await Listener.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync() => await Listener.StopAsync(CancellationToken.None);

    /// <summary>An SFU that takes its time to answer the probe (so a CANCEL arrives while the phone rings).</summary>
    private sealed class SlowProbe(IConferenceConnector inner, TimeSpan delay) : IConferenceConnector
    {
        public async Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return await inner.ProbeAsync(conferenceId, cancellationToken);
        }

        public Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken) => inner.JoinAsync(request, cancellationToken);
    }
}
