using System.Net;

namespace Callbridge.Janus.Embedded;

/// <summary>A generated configuration folder and the endpoints it binds.</summary>
/// <param name="Folder">Folder holding janus.jcfg and the plugin/transport files (<c>-F</c>).</param>
/// <param name="MainConfigPath">janus.jcfg (<c>-C</c>).</param>
/// <param name="LogPath">Janus's log file (<c>-L</c>).</param>
/// <param name="BindAddress">Address of the transports and of the SDP.</param>
/// <param name="HttpPort">HTTP API port.</param>
/// <param name="WebSocketPort">WebSocket API port, or null when disabled.</param>
/// <param name="RtpPortMin">First media port.</param>
/// <param name="RtpPortMax">Last media port.</param>
public sealed record JanusConfigLayout(
    string Folder,
    string MainConfigPath,
    string LogPath,
    IPAddress BindAddress,
    int HttpPort,
    int? WebSocketPort,
    int RtpPortMin,
    int RtpPortMax)
{
    /// <summary>HTTP API root, e.g. http://198.18.0.1:8088/janus.</summary>
    public Uri HttpUri => new($"http://{Host}:{HttpPort}/janus");

    /// <summary>WebSocket API URL (subprotocol "janus-protocol"), or null.</summary>
    public Uri? WebSocketUri => WebSocketPort is { } p ? new Uri($"ws://{Host}:{p}/") : null;

    /// <summary>Admin/Monitor API port, or null when the admin API is off (<see cref="JanusServerOptions.AdminSecret"/>).</summary>
    public int? AdminHttpPort { get; init; }

    /// <summary>Admin/Monitor API root, e.g. http://198.18.0.1:7088/admin, or null when it is off.</summary>
    public Uri? AdminUri => AdminHttpPort is { } p ? new Uri($"http://{Host}:{p}/admin") : null;

    private string Host => BindAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{BindAddress}]" : BindAddress.ToString();
}
