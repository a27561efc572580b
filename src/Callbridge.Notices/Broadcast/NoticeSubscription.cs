using System.Threading.Channels;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Broadcast;

/// <summary>One subscriber's view of a conference's notices. Dispose to unsubscribe.</summary>
public sealed class NoticeSubscription : IDisposable
{
    private readonly NoticeBroadcaster _owner;
    private SubscriberDroppedNotice? _dropped;

    internal NoticeSubscription(NoticeBroadcaster owner, long id, Channel<NoticeEnvelope> channel, bool replayIncomplete)
    {
        _owner = owner;
        Id = id;
        Channel = channel;
        ReplayIncomplete = replayIncomplete;
    }

    public long Id { get; }

    /// <summary>The notices, in publication order (replayed ones first). Completes when the subscriber is
    /// dropped or the conference's broadcaster is closed.</summary>
    public ChannelReader<NoticeEnvelope> Reader => Channel.Reader;

    /// <summary>The Last-Event-ID asked for is older than the replay buffer: notices were missed, and
    /// the client must reload the conference's state.</summary>
    public bool ReplayIncomplete { get; }

    /// <summary>Set when this subscriber was dropped for falling behind.</summary>
    public SubscriberDroppedNotice? Dropped => Volatile.Read(ref _dropped);

    /// <summary>Id of the last notice handed to this subscriber's channel.</summary>
    internal long LastQueuedId { get; set; }

    internal Channel<NoticeEnvelope> Channel { get; }

    internal void MarkDropped(SubscriberDroppedNotice notice)
    {
        Volatile.Write(ref _dropped, notice);
        Channel.Writer.TryComplete();
    }

    public void Dispose() => _owner.Unsubscribe(this);
}
