using System.Collections.Concurrent;

namespace Callbridge.Notices.Broadcast;

/// <summary>The broadcasters of every live conference in this process.</summary>
public sealed class NoticeHub(NoticeBroadcasterOptions? options = null, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, NoticeBroadcaster> _conferences = new(StringComparer.Ordinal);

    public NoticeBroadcaster For(string conferenceId) =>
        _conferences.GetOrAdd(conferenceId, id => new NoticeBroadcaster(id, options, time));

    /// <summary>The conference ended: close its subscriptions and forget its replay buffer.</summary>
    public void End(string conferenceId)
    {
        if (_conferences.TryRemove(conferenceId, out NoticeBroadcaster? broadcaster))
        {
            broadcaster.Close();
        }
    }
}
