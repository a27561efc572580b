using Callbridge.Janus.VideoRoom;

namespace Callbridge.Conference.Janus;

/// <summary>
/// Janus's room list (the VideoRoom "list" answer), shared for a moment by every session of one connector.
/// Each session polls its room's policy, and Janus answers with every room: sessions polling alone would fetch
/// and parse one whole list each per interval, a cost that grows with sessions times rooms (at 250 sessions
/// and 50 rooms, 50 lists a second, about three quarters of the bridge's allocations). One list now serves
/// every poll within <see cref="MaxAge"/>, so a policy change is seen at most that much later.
/// </summary>
/// <remarks>
/// Threads: any session's poll loop. <c>_gate</c> guards <c>_current</c> and <c>_fetchedAt</c>. The fetch runs on
/// the connection of the session that found the list stale and is not that session's to cancel; a session whose
/// wait on another's fetch fails asks on its own connection, so one session's lost connection never reads as
/// another's.
/// </remarks>
internal sealed class JanusRoomList(TimeProvider time, TimeSpan maxAge)
{
    /// <summary>A fetch still under way after this long is not waited for any more: the next poll asks anew.</summary>
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Task<IReadOnlyList<VideoRoomInfo>>? _current;
    private long _fetchedAt;

    /// <summary>How old a list may be and still answer a poll.</summary>
    public TimeSpan MaxAge { get; } = maxAge;

    /// <summary>Lists fetched from Janus so far (for figures and tests).</summary>
    public int Fetches { get; private set; }

    /// <summary>The room <paramref name="room"/> as a list no older than <see cref="MaxAge"/> has it; null when Janus has no such room.</summary>
    public async Task<VideoRoomInfo?> FindAsync(long room, JanusRoomConnection connection, CancellationToken ct)
    {
        Task<IReadOnlyList<VideoRoomInfo>> list;
        bool own = false;
        lock (_gate)
        {
            TimeSpan age = time.GetElapsedTime(_fetchedAt);
            if (_current is null || _current.IsFaulted || _current.IsCanceled || age > (_current.IsCompleted ? MaxAge : StuckAfter))
            {
                _current = connection.ListRoomsAsync(CancellationToken.None);
                _fetchedAt = time.GetTimestamp();
                Fetches++;
                own = true;
            }

            list = _current;
        }

        IReadOnlyList<VideoRoomInfo> rooms;
        try
        {
            rooms = await list.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (ConferenceException) when (!own)
        {
            rooms = await connection.ListRoomsAsync(ct).ConfigureAwait(false);
        }

        return rooms.FirstOrDefault(r => r.Room == room);
    }
}
