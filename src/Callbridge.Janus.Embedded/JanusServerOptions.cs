using System.Net;

namespace Callbridge.Janus.Embedded;

/// <summary>How to start a private Janus. Defaults suit one gateway host or one test run.</summary>
public sealed class JanusServerOptions
{
    /// <summary>The janus program (Debian package <c>janus</c>).</summary>
    public string Executable { get; init; } = "/usr/bin/janus";

    /// <summary>Installed configuration the per-run folder is derived from (plugin settings are read from here).</summary>
    public string SourceConfigFolder { get; init; } = "/etc/janus";

    /// <summary>Plugin shared objects (Debian's multiarch path).</summary>
    public string PluginsFolder { get; init; } = "/usr/lib/x86_64-linux-gnu/janus/plugins";

    /// <summary>Transport shared objects (Debian's multiarch path).</summary>
    public string TransportsFolder { get; init; } = "/usr/lib/x86_64-linux-gnu/janus/transports";

    /// <summary>Folder that receives the generated configuration and the log; created if missing. Required.</summary>
    public required string WorkFolder { get; init; }

    /// <summary>
    /// Address the HTTP and WebSocket transports bind to and Janus puts in its SDP (<c>interface</c>).
    /// Must be on a non-loopback interface: Janus 1.1.2 never gathers candidates on loopback.
    /// </summary>
    public required IPAddress BindAddress { get; init; }

    /// <summary>
    /// Only interface used for ICE candidates (<c>ice_enforce_list</c>), e.g. "cb0" in the test
    /// namespace. Null leaves Janus to gather on every non-loopback interface.
    /// </summary>
    public string? IceInterface { get; init; }

    /// <summary>HTTP API port; 0 picks a free port on <see cref="BindAddress"/>.</summary>
    public int HttpPort { get; init; }

    /// <summary>WebSocket API port; 0 picks a free port; -1 disables the WebSocket transport.</summary>
    public int WebSocketPort { get; init; }

    /// <summary>
    /// First port of the UDP range for media (<c>rtp_port_range</c>); 0 picks a free block. Each
    /// PeerConnection uses one port (bundle + rtcp-mux).
    /// </summary>
    public int RtpPortMin { get; init; }

    /// <summary>Ports in the media range by default: 200 covers a hundred concurrent PeerConnections with room for churn.</summary>
    public const int DefaultRtpPortCount = 200;

    /// <summary>Ports in the media range; Janus refuses a handle's ICE once they are all taken.</summary>
    public int RtpPortCount { get; init; } = DefaultRtpPortCount;

    /// <summary>Plugins to load (file names without <c>libjanus_</c>/<c>.so</c>); every other installed plugin is disabled.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = ["videoroom", "audiobridge", "echotest"];

    /// <summary>
    /// Secret of the Admin/Monitor API (<c>admin_secret</c>); null (the default) leaves the admin API off. When set,
    /// the HTTP transport also serves the admin API on <see cref="BindAddress"/> at <see cref="AdminHttpPort"/> under
    /// <c>/admin</c>: it exposes every session's and handle's state, so it is opt-in and always needs the secret.
    /// </summary>
    public string? AdminSecret { get; init; }

    /// <summary>Admin API port when <see cref="AdminSecret"/> is set; 0 picks a free port on <see cref="BindAddress"/>.</summary>
    public int AdminHttpPort { get; init; }

    /// <summary>Janus log level 0-7; 4 (info) shows ICE/DTLS progress without per-packet noise.</summary>
    public int DebugLevel { get; init; } = 4;

    /// <summary>
    /// Media threads Janus shares among all handles (<c>event_loops</c>); 0 keeps Janus's default of one thread
    /// per handle. Many busy handles on few cores (a phone bridge's calls) wake one thread per packet by default;
    /// a loop per core takes whatever is ready across its handles in one wake.
    /// </summary>
    public int EventLoops { get; init; }

    /// <summary>Seconds before Janus destroys an idle session (Janus default 60).</summary>
    public int SessionTimeoutSeconds { get; init; } = 60;

    /// <summary>How long <see cref="JanusServer.StartAsync"/> waits for <c>{"janus":"info"}</c> to answer; Janus starts in well under a second here, 15 s covers a loaded 2-core machine.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Grace period after SIGTERM before SIGKILL on stop.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
