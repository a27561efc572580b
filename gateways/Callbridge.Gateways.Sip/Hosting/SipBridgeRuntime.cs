using System.Net;
using Callbridge.Media.Clock;
using Callbridge.PhoneMedia;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Sip;

/// <summary>The bridge's one SIP endpoint (UDP and TCP on the listen address), shared by dial-in and dial-out.</summary>
internal sealed class SipBridgeRuntime : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private SipTransport? _transport;
    private SipUserAgent? _agent;

    /// <param name="clock">Paces the calls' media; by default the bridge's own <see cref="SharedMediaClock"/> in real
    /// time, or a timer per call of <paramref name="time"/> when another time provider is given (tests drive it).</param>
    /// <param name="logs">Logs of the rooms' shared audio (<see cref="AudioHubs"/>); none when null.</param>
    public SipBridgeRuntime(IOptions<SipBridgeOptions> options, TimeProvider time, IMediaClock? clock = null, ILoggerFactory? logs = null)
    {
        Options = options.Value;
        Time = time;
        Address = IPAddress.Parse(Options.ListenAddress);
        MediaClock = clock ?? (time == TimeProvider.System
            ? new SharedMediaClock(Options.MediaClock)
            : new TimerMediaClock(time, Options.MediaClock.Period));
        _ownsClock = clock is null;
        AudioHubs = new RoomAudioHubs((logs ?? NullLoggerFactory.Instance).CreateLogger<RoomAudioHub>(), Options.ConferenceAudio);
    }

    /// <summary>The conference audio of each room with calls in it, shared by those calls.</summary>
    public RoomAudioHubs AudioHubs { get; }

    private readonly bool _ownsClock;

    /// <summary>What paces the calls' media; a <see cref="SharedMediaClock"/> in real time.</summary>
    public IMediaClock MediaClock { get; }

    public SipBridgeOptions Options { get; }

    public TimeProvider Time { get; }

    public IPAddress Address { get; }

    public SipUserAgent Agent => Start();

    public IPEndPoint LocalEndPoint => (_transport ?? throw new InvalidOperationException("not started")).LocalEndPoint;

    /// <summary>Binds on first use (the hosted listener at host start, or the first dial-out).</summary>
    public SipUserAgent Start()
    {
        lock (_gate)
        {
            if (_agent is not null) return _agent;
            var transport = new SipTransport(new IPEndPoint(Address, Options.ListenPort));
            var agent = new SipUserAgent(transport, Time, new SipUserAgentOptions
            {
                User = Options.Trunk.FromUser,
                AuthUser = Options.Trunk.Username,
                AuthPassword = Options.Trunk.Password,
                NoAnswerTimeout = Options.DialOut.NoAnswerTimeout,
                UserAgent = "Callbridge SIP bridge",
                // INFO carries DTMF from phones without RFC 4733 (application/dtmf-relay, application/dtmf).
                AcceptedContentTypes = ["application/sdp", "application/dtmf-relay", "application/dtmf"],
            });
            transport.MessageReceived = agent.OnMessage;
            transport.Start();
            (_transport, _agent) = (transport, agent);
            return agent;
        }
    }

    /// <summary>
    /// A phone RTP session for a call to <paramref name="conferenceId"/>: the room's calls tick on one media clock
    /// thread (their callers hear each other through the room's rings, written and read in the same pass).
    /// </summary>
    public PhoneRtpSession OpenRtp(string? conferenceId = null) =>
        PhoneRtpSession.Open(Address, new PhoneRtpSessionOptions { PortMin = Options.RtpPortMin, PortMax = Options.RtpPortMax, ClockGroup = conferenceId }, Time, MediaClock);

    /// <summary>For containers disposed synchronously; the transport's loops end on their own once cancelled.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        SipTransport? t;
        lock (_gate)
        {
            t = _transport;
            _transport = null;
            _agent = null;
        }
        if (t is not null) await t.DisposeAsync().ConfigureAwait(false);
        await AudioHubs.DisposeAsync().ConfigureAwait(false);
        if (_ownsClock) (MediaClock as IDisposable)?.Dispose();
    }
}
