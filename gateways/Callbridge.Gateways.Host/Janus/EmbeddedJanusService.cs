using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Callbridge.Janus;
using Callbridge.Janus.Embedded;
using Callbridge.Janus.VideoRoom;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Host.Janus;

/// <summary>
/// Starts the embedded Janus with the host and stops it (only the process it started) when the host
/// stops, including on Ctrl-C. With an external Janus it only publishes the configured URL.
/// </summary>
internal sealed partial class EmbeddedJanusService(
    IOptions<JanusConnectionOptions> options,
    JanusEndpoint endpoint,
    IHostEnvironment environment,
    IHttpClientFactory httpFactory,
    ILogger<EmbeddedJanusService> logger) : IHostedService
{
    private JanusServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        JanusConnectionOptions o = options.Value;
        if (o.Mode == JanusMode.External)
        {
            endpoint.Publish(o.Url!, logPath: null);
            LogExternal(o.Url!);
            return;
        }

        try
        {
            IPAddress address = ResolveBindAddress(o.Embedded.BindAddress);
            _server = await JanusServer.StartAsync(new JanusServerOptions
            {
                WorkFolder = Path.Combine(environment.ContentRootPath, o.Embedded.WorkFolder),
                BindAddress = address,
                IceInterface = string.IsNullOrWhiteSpace(o.Embedded.IceInterface) ? null : o.Embedded.IceInterface,
                HttpPort = o.Embedded.HttpPort,
                RtpPortCount = o.Embedded.RtpPortCount,
                EventLoops = o.Embedded.EventLoops,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogStarted(_server.ProcessId, _server.HttpUri, _server.LogPath);
            await CreateRoomsAsync(_server.HttpUri, o.Embedded.Rooms, cancellationToken).ConfigureAwait(false);
            endpoint.Publish(_server.HttpUri, _server.LogPath);
        }
        catch (Exception e) when (e is JanusServerException or InvalidOperationException or JanusException)
        {
            endpoint.Fail(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        int pid = _server.ProcessId;
        await _server.DisposeAsync().ConfigureAwait(false);
        LogStopped(pid);
    }

    private async Task CreateRoomsAsync(Uri janus, IReadOnlyList<EmbeddedRoom> rooms, CancellationToken ct)
    {
        if (rooms.Count == 0) return;
        var client = new JanusClient(httpFactory.CreateClient("janus"), new JanusClientOptions { BaseUri = janus });
        await using JanusSession session = await client.CreateSessionAsync(ct).ConfigureAwait(false);
        VideoRoomClient videoRoom = await VideoRoomClient.AttachAsync(session, ct).ConfigureAwait(false);
        foreach (EmbeddedRoom room in rooms)
        {
            await videoRoom.CreateRoomAsync(new VideoRoomCreateOptions
            {
                Room = room.Id,
                Description = room.Description,
                RequireE2ee = room.RequireE2ee,
                NotifyJoining = true,
                Publishers = 16,
            }, ct).ConfigureAwait(false);
            LogRoom(room.Id, room.Description, room.RequireE2ee);
        }
    }

    internal static IPAddress ResolveBindAddress(string configured)
    {
        if (!string.Equals(configured, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(configured, out IPAddress? parsed)
                ? parsed
                : throw new InvalidOperationException($"Callbridge:Janus:Embedded:BindAddress '{configured}' is not an IP address or \"auto\".");
        }
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
            {
                if (a.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address)) return a.Address;
            }
        }
        throw new InvalidOperationException(
            "No non-loopback IPv4 address is up, and Janus offers no ICE candidates on loopback: set Callbridge:Janus:Embedded:BindAddress.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the external Janus at {Url}")]
    private partial void LogExternal(Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Janus started (pid {Pid}) at {Url}; log {LogPath}")]
    private partial void LogStarted(int pid, Uri url, string logPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created room {Room} \"{Description}\" (require_e2ee: {RequireE2ee})")]
    private partial void LogRoom(long room, string description, bool requireE2ee);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Janus (pid {Pid}) stopped")]
    private partial void LogStopped(int pid);
}
