namespace Callbridge.Janus;

/// <summary>Settings of <see cref="JanusClient"/>.</summary>
public sealed class JanusClientOptions
{
    /// <summary>Janus HTTP API root, e.g. <c>http://198.18.0.1:8088/janus</c> (the transport's base_path).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>
    /// How often a session sends <c>keepalive</c>. Janus destroys sessions idle for session_timeout
    /// (60 s by default); 25 s leaves room for two missed beats.
    /// </summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Most messages one long poll returns (<c>maxev</c>). Janus holds a poll 30 s when idle; more
    /// than one per poll keeps bursts (joined + publishers + webrtcup) to a single round trip.
    /// </summary>
    public int LongPollMaxEvents { get; init; } = 10;

    /// <summary>Client-side limit of one long poll: above Janus's own 30 s hold so an idle poll ends on Janus's keepalive.</summary>
    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Limit of one ordinary request (create, attach, synchronous plugin requests).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an asynchronous plugin request (join, publish, start) waits for its event after the ack.</summary>
    public TimeSpan EventTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Pause before re-polling after a transport failure, so a restarting Janus is not hammered.</summary>
    public TimeSpan LongPollRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
