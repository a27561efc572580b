using System.Globalization;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callbridge.Conference.Janus;

/// <summary>Conferences are Janus VideoRoom rooms; the conference id is the room number.</summary>
public sealed class JanusConferenceConnector(HttpClient http, JanusConferenceOptions options, ILoggerFactory? loggerFactory = null) : IConferenceConnector
{
    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>One room list for every session's policy poll, at most half a poll interval (and a second) old.</summary>
    private readonly JanusRoomList _rooms = new(options.TimeProvider,
        TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, options.PolicyPollInterval.Ticks / 2)));

    /// <summary>The shared room list (for figures and tests).</summary>
    internal JanusRoomList Rooms => _rooms;

    public async Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken)
    {
        long room = ParseRoom(conferenceId);
        await using var connection = await JanusRoomConnection.OpenAsync(http, options, _loggers, cancellationToken).ConfigureAwait(false);
        VideoRoomInfo? info = await connection.FindRoomAsync(room, cancellationToken).ConfigureAwait(false);
        return info is null
            ? new ConferenceProbe(conferenceId, Exists: false, RequiresE2ee: false, ParticipantCount: 0, Description: null)
            : new ConferenceProbe(conferenceId, true, info.RequireE2ee, info.NumParticipants, info.Description);
    }

    public Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        long room = ParseRoom(request.ConferenceId);
        return JanusConferenceSession.JoinAsync(http, options, _rooms, room, request, _loggers.CreateLogger<JanusConferenceSession>(), _loggers, cancellationToken);
    }

    internal static long ParseRoom(string conferenceId) =>
        long.TryParse(conferenceId, NumberStyles.None, CultureInfo.InvariantCulture, out long room) && room > 0
            ? room
            : throw new ConferenceException(ConferenceErrorKind.InvalidId, $"'{conferenceId}' is not a Janus VideoRoom room number.");
}

/// <summary>One Janus session with a VideoRoom handle, translating Janus failures into conference errors.</summary>
internal sealed class JanusRoomConnection : IAsyncDisposable
{
    private JanusRoomConnection(JanusSession session, VideoRoomClient room)
    {
        Session = session;
        Room = room;
    }

    public JanusSession Session { get; }

    public VideoRoomClient Room { get; }

    public static async Task<JanusRoomConnection> OpenAsync(HttpClient http, JanusConferenceOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var client = new JanusClient(http, new JanusClientOptions { BaseUri = options.JanusUri, TimeProvider = options.TimeProvider }, loggers.CreateLogger<JanusClient>());
        JanusSession session = await Translate(() => client.CreateSessionAsync(ct)).ConfigureAwait(false);
        try
        {
            VideoRoomClient room = await Translate(() => VideoRoomClient.AttachAsync(session, ct)).ConfigureAwait(false);
            return new JanusRoomConnection(session, room);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The room as Janus lists it now (a fresh list: a room created a moment ago is in it).</summary>
    public async Task<VideoRoomInfo?> FindRoomAsync(long room, CancellationToken ct)
    {
        IReadOnlyList<VideoRoomInfo> rooms = await ListRoomsAsync(ct).ConfigureAwait(false);
        return rooms.FirstOrDefault(r => r.Room == room);
    }

    public Task<IReadOnlyList<VideoRoomInfo>> ListRoomsAsync(CancellationToken ct) => Translate(() => Room.ListAsync(ct));

    /// <summary>Janus's failures as the conference contract names them.</summary>
    public static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (JanusException e) when (e.Kind == JanusErrorKind.Plugin && e.Code == 426)
        {
            throw new ConferenceException(ConferenceErrorKind.NotFound, "Janus has no such room: " + e.Reason, e);
        }
        catch (JanusException e) when (e.Kind is JanusErrorKind.Plugin or JanusErrorKind.Gateway)
        {
            throw new ConferenceException(ConferenceErrorKind.Rejected, $"Janus refused ({e.Code}): {e.Reason}", e);
        }
        catch (JanusException e)
        {
            throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus is unavailable: " + e.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus is unreachable: " + e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
        {
            // The session may already be gone with its Janus; nothing is left to release.
        }
    }
}
