using System.Security.Cryptography;
using Callbridge.Janus;
using Callbridge.Janus.Embedded;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.TestSupport.Janus;

/// <summary>
/// A private Janus on the namespace address (198.18.0.1, ICE on cb0) with the VideoRoom,
/// AudioBridge and EchoTest plugins, plus an admin session for room helpers. Use as an xunit
/// class or collection fixture.
/// </summary>
public sealed class JanusFixture : IAsyncLifetime, ILogSource
{
    private JanusServer? _server;
    private HttpClient? _http;
    private JanusSession? _adminSession;
    private VideoRoomClient? _adminRooms;
    private long _nextRoom = Random.Shared.NextInt64(1_000_000, 9_000_000);

    /// <summary>
    /// The plugins this Janus loads. Streaming gives tests a Janus that offers (the bot answers) without a
    /// browser publisher.
    /// </summary>
    public static IReadOnlyList<string> Plugins { get; } = ["audiobridge", "streaming", "videoroom"];

    public string Name => "janus";

    public JanusServer Server => _server ?? throw new InvalidOperationException("JanusFixture not started");

    /// <summary>Typed client of this Janus (shared HttpClient without proxy).</summary>
    public JanusClient Client { get; private set; } = null!;

    public Uri HttpUri => Server.HttpUri;

    public string LogPath => Server.LogPath;

    public IEnumerable<string> LogPaths => _server is null ? [] : [_server.LogPath];

    /// <summary>
    /// Start Janus with its Admin/Monitor API on (HTTP, same address, a fresh secret per run): off by default, set it
    /// before <see cref="InitializeAsync"/> (e.g. <c>new JanusFixture { EnableAdminApi = true }</c>).
    /// </summary>
    public bool EnableAdminApi { get; init; }

    /// <summary>Janus's shared media threads (<see cref="JanusServerOptions.EventLoops"/>); 0: one per handle.</summary>
    public int EventLoops { get; init; }

    /// <summary>Janus's RTP ports (<see cref="JanusServerOptions.RtpPortCount"/>): one per handle with media, so at least the publishers plus subscriptions.</summary>
    public int RtpPortCount { get; init; } = JanusServerOptions.DefaultRtpPortCount;

    /// <summary>Admin/Monitor API root (e.g. http://198.18.0.1:41234/admin); null unless <see cref="EnableAdminApi"/>.</summary>
    public Uri? AdminUri => Server.Layout.AdminUri;

    /// <summary>The <c>admin_secret</c> every admin request carries; null unless <see cref="EnableAdminApi"/>.</summary>
    public string? AdminSecret { get; private set; }

    /// <summary>VideoRoom admin requests on a handle owned by the fixture.</summary>
    public VideoRoomClient Rooms => _adminRooms ?? throw new InvalidOperationException("JanusFixture not started");

    public async Task InitializeAsync()
    {
        TestEnvironment.RequireNetns(nameof(JanusFixture));
        RequiredPrograms.Require(RequiredPrograms.Janus);
        var folder = TestEnvironment.NewFolder("janus");
        AdminSecret = EnableAdminApi ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) : null;
        _server = await JanusServer.StartAsync(new JanusServerOptions
        {
            WorkFolder = folder,
            BindAddress = TestEnvironment.TestIp,
            IceInterface = TestEnvironment.TestInterface,
            Plugins = Plugins,
            AdminSecret = AdminSecret,
            EventLoops = EventLoops,
            RtpPortCount = RtpPortCount,
        }).ConfigureAwait(false);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Client = new JanusClient(_http, new JanusClientOptions { BaseUri = _server.HttpUri });
        _adminSession = await Client.CreateSessionAsync().ConfigureAwait(false);
        _adminRooms = await VideoRoomClient.AttachAsync(_adminSession).ConfigureAwait(false);
    }

    /// <summary>A fresh room id, unique within this Janus.</summary>
    public long NextRoomId() => Interlocked.Increment(ref _nextRoom);

    /// <summary>Creates a VideoRoom (non-permanent) with a fresh id unless one is given.</summary>
    public Task<long> CreateRoomAsync(bool requireE2ee = false, bool notifyJoining = false, string audioCodec = "opus", string videoCodec = "vp8", CancellationToken cancellationToken = default) =>
        Rooms.CreateRoomAsync(
            new VideoRoomCreateOptions
            {
                Room = NextRoomId(),
                Description = "callbridge test room",
                Publishers = 10,
                RequireE2ee = requireE2ee,
                NotifyJoining = notifyJoining,
                AudioCodec = audioCodec,
                VideoCodec = videoCodec,
            },
            cancellationToken);

    /// <summary>A new session on this Janus (the caller disposes it).</summary>
    public Task<JanusSession> CreateSessionAsync(CancellationToken cancellationToken = default) => Client.CreateSessionAsync(cancellationToken);

    public async Task DisposeAsync()
    {
        if (_adminSession is not null)
        {
            await _adminSession.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _http?.Dispose();
    }
}
