using System.Net;
using Callbridge.WebRtc;

namespace Callbridge.Conference.Janus;

/// <summary>How the Janus adapter talks to Janus and how it rides out Janus restarts.</summary>
public sealed class JanusConferenceOptions
{
    /// <summary>Janus's HTTP API, e.g. http://127.0.0.1:8088/janus.</summary>
    public required Uri JanusUri { get; init; }

    /// <summary>
    /// How often the room's E2EE policy is read again. Janus tells a joined participant nothing when
    /// it changes and reports it only in <c>list</c>, so it is polled; 5 s bounds how late a gateway
    /// learns that a room now requires E2EE (the media core's detector catches encrypted frames sooner).
    /// Every session of one connector reads the same list, at most half this interval (and 1 s) old, since
    /// the list holds every room (see <see cref="JanusRoomList"/>).
    /// </summary>
    public TimeSpan PolicyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before rejoining after the connection to Janus was lost; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up rejoining (and end the session) after this long: a restarted Janus is back in seconds.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Interfaces the media connections gather ICE candidates on (e.g. "cb0"); empty means every interface that is up.</summary>
    public IReadOnlyList<string> IceInterfaces { get; init; } = [];

    /// <summary>Addresses the media connections gather on; empty means every address of the allowed interfaces.</summary>
    public IReadOnlyList<IPAddress> IceAddresses { get; init; } = [];

    public bool EnableIPv6 { get; init; } = true;

    /// <summary>
    /// How long a subscription or publication waits for ICE and DTLS before failing: 20 s is far beyond
    /// the few hundred milliseconds a reachable Janus needs, yet bounded for a gateway that must report.
    /// </summary>
    public TimeSpan MediaConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Publications send each frame on the thread that hands it over instead of through the connection's
    /// loop (<see cref="PeerConnectionOptions.SendOnCallerThread"/>): cheaper per frame, paid by the caller.
    /// </summary>
    public bool SendOnCallerThread { get; init; }

    /// <summary>Dense media is received in batches this far apart (<see cref="PeerConnectionOptions.ReceiveBatchInterval"/>); zero wakes per datagram.</summary>
    public TimeSpan ReceiveBatchInterval { get; init; } = new PeerConnectionOptions().ReceiveBatchInterval;

    /// <summary>
    /// Audio retransmission with Janus (<see cref="PeerConnectionOptions.NackAudio"/>): publications tell Janus they
    /// answer NACKs for their Opus, and subscriptions NACK lost audio. Off, as in browsers: Opus conceals a lost
    /// frame better than a round trip fetches it, and Janus tracks every audio packet of a publisher that says it
    /// answers NACKs. On only for a lossy path where a late frame beats a concealed one.
    /// </summary>
    public bool NackAudio { get; init; }

    internal PeerConnectionOptions CreatePeerConnectionOptions(TimeSpan? receiveBatchInterval = null) => new()
    {
        ReceiveBatchInterval = receiveBatchInterval ?? ReceiveBatchInterval,
        SendOnCallerThread = SendOnCallerThread,
        NackAudio = NackAudio,
        Interfaces = IceInterfaces,
        Addresses = IceAddresses,
        EnableIPv6 = EnableIPv6,
        TimeProvider = TimeProvider,
    };
}
