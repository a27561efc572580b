using System.Collections.Concurrent;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>The hosted dial-in listener: binds the SIP endpoint at host start and runs one <see cref="DialInCall"/>
/// per INVITE to a configured number (others get 404).</summary>
internal sealed class SipDialInListener(SipBridgeRuntime runtime, IConferenceConnector connector, CapabilityNegotiator negotiator,
    ISipTenantPolicies tenants, ILoggerFactory logs) : IHostedService
{
    private readonly ILogger _log = logs.CreateLogger<SipDialInListener>();
    private readonly ConcurrentDictionary<DialInCall, Task> _calls = new();
    private readonly PinLockout _lockout = new(runtime.Options.LockoutAfterWrongPins, runtime.Options.LockoutWindow, runtime.Options.LockoutDuration, runtime.Time);

    internal PinLockout Lockout => _lockout;

    /// <summary>Dial-ins in progress (for the host's status and tests).</summary>
    public IReadOnlyCollection<IGateway> ActiveCalls => [.. _calls.Keys];

    /// <summary>Raised when a dial-in call object exists (before it is answered).</summary>
    public event Action<IGateway>? DialInStarted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime.Options.DialIn.Count == 0)
        {
            // Nothing to answer: the SIP port stays free (dial-out opens the endpoint on its first call).
            _log.LogInformation("No dial-in numbers configured; the SIP listener is not started");
            return Task.CompletedTask;
        }

        var agent = runtime.Start();
        agent.IncomingCall += OnIncomingCall;
        _log.LogInformation("SIP bridge listening on {EndPoint}", runtime.LocalEndPoint);
        return Task.CompletedTask;
    }

    private void OnIncomingCall(SipIncomingCall call)
    {
        string? called = SipUri.TryParse(call.Invite.RequestUri, out var uri) ? uri.User : null;
        if (called is null || !runtime.Options.DialIn.TryGetValue(called, out var number))
        {
            call.Reject(404, "Not Found");
            return;
        }
        Callbridge.PhoneMedia.PhoneRtpSession rtp;
        try { rtp = runtime.OpenRtp(number.ConferenceId); }
        catch (System.Net.Sockets.SocketException)
        {
            call.Reject(503, "Service Unavailable");
            return;
        }
        var dialIn = new DialInCall(call, number, runtime.Options, rtp, connector, runtime.AudioHubs, negotiator, tenants, _lockout, logs.CreateLogger<DialInCall>(), runtime.Time);
        DialInStarted?.Invoke(dialIn);
        _calls[dialIn] = Task.Run(async () =>
        {
            await dialIn.RunAsync().ConfigureAwait(false);
            await dialIn.Completion.ConfigureAwait(false);
            _calls.TryRemove(dialIn, out _);
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Every call at once: a hang-up waits for the phone's answer, up to Timer F (32 s) when the phone is gone,
        // so stopping calls one after another could take that long per call.
        await Task.WhenAll(_calls.Keys.Select(call => StopCallAsync(call, cancellationToken))).ConfigureAwait(false);
        if (runtime.MediaClock is Callbridge.Media.Clock.SharedMediaClock clock)
        {
            var c = clock.Statistics;
            // Late passes and overruns are the first sign of a host with more calls than cores.
            // Woken late: the host had no CPU free for the clock; slow: the calls' own work (or a wait in it) filled the pass.
            _log.LogInformation("Media clock: {Passes} passes, {Late} late, {Overruns} overruns, {LateWakes} woken late, {SlowPasses} slow, {Failures} callback failures, priority raised: {Raised}",
                c.Passes, c.LatePasses, c.Overruns, c.LateWakes, c.SlowPasses, c.CallbackFailures, c.PriorityRaised);
        }
        await runtime.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task StopCallAsync(DialInCall call, CancellationToken cancellationToken)
    {
        try { await call.StopAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }
}
