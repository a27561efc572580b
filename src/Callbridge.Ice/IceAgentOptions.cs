using System.Net;

namespace Callbridge.Ice;

/// <summary>Configuration of one ICE agent. Durations follow the RFCs unless noted.</summary>
public sealed class IceAgentOptions
{
    public IceRole InitialRole { get; init; } = IceRole.Controlled;

    public IceNominationMode Nomination { get; init; } = IceNominationMode.Regular;

    /// <summary>Interface names to gather on (e.g. "cb0"); empty means every interface that is up.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>Addresses to gather on; empty means every address of the allowed interfaces.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>Loopback is skipped unless asked for: it is useless to a remote peer, but tests run on it.</summary>
    public bool IncludeLoopback { get; init; }

    public bool EnableIPv4 { get; init; } = true;

    public bool EnableIPv6 { get; init; } = true;

    /// <summary>Our credentials; generated when null.</summary>
    public IceCredentials? LocalCredentials { get; init; }

    /// <summary>Pacing Ta between new checks: 50 ms, the RFC 8445 §14.2 default.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Initial retransmission timeout: 500 ms, the RFC 8445 §14.3 floor for checks.</summary>
    public TimeSpan InitialRto { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Transmissions of one check, Rc = 7 (RFC 8489 §6.2.1), then a last wait of Rm = 16 x RTO.</summary>
    public int MaxTransmissions { get; init; } = 7;

    /// <summary>How long the controlling agent waits for higher-priority pairs before nominating (regular mode).</summary>
    public TimeSpan NominationDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Consent check period, randomized by 0.8-1.2 (RFC 7675 §5.1: 5 s).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Without a consent response for this long the state is Disconnected (two missed periods, as browsers do).</summary>
    public TimeSpan DisconnectedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consent expires after 30 s without a response (RFC 7675 §5.1); the state is then Failed.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tie-breaker for role conflicts (RFC 8445 §7.3.1.1); random when null.</summary>
    public ulong? TieBreaker { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receive buffer per socket: above the 1500-byte Ethernet MTU with room for jumbo-free paths.</summary>
    public int ReceiveBufferSize { get; init; } = 2048;

    /// <summary>
    /// While datagrams arrive closer together than this, the receive thread sleeps this long and then takes
    /// every queued datagram at once, instead of waking for each one: a thread wake costs more than the
    /// packet's whole processing. Sparser traffic is received as it comes. Zero (the default) always wakes
    /// per datagram; the wait adds at most this much delay, only to dense streams.
    /// </summary>
    public TimeSpan ReceiveBatchInterval { get; init; }
}
