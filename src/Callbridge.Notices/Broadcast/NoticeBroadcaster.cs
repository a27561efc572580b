using System.Threading.Channels;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Broadcast;

/// <summary>
/// The notices of one conference, fanned out to its subscribers. Invariants (under <c>_gate</c>):
/// ids are 1, 2, 3, ... in publication order; the replay ring holds the last <c>ReplayCapacity</c>
/// envelopes in id order; each subscriber's channel receives every id after its starting point, in order,
/// or is completed (dropped). Publishing never waits: a full subscriber channel drops that subscriber.
/// </summary>
public sealed class NoticeBroadcaster
{
    private readonly NoticeBroadcasterOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly NoticeEnvelope?[] _replay;
    private readonly List<NoticeSubscription> _subscribers = [];
    private int _replayStart;
    private int _replayCount;
    private long _lastId;
    private long _nextSubscriberId;
    private bool _closed;

    public NoticeBroadcaster(string conferenceId, NoticeBroadcasterOptions? options = null, TimeProvider? time = null)
    {
        ConferenceId = conferenceId;
        _options = options ?? new NoticeBroadcasterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ReplayCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.SubscriberCapacity, 1);
        _time = time ?? TimeProvider.System;
        _replay = new NoticeEnvelope?[_options.ReplayCapacity];
    }

    public string ConferenceId { get; }

    /// <summary>Raised (outside the lock) for each subscriber dropped for falling behind.</summary>
    public event Action<SubscriberDroppedNotice>? SubscriberDropped;

    public int SubscriberCount
    {
        get { lock (_gate) { return _subscribers.Count; } }
    }

    /// <summary>Assigns the next id, keeps the notice for replay and hands it to every subscriber.</summary>
    public NoticeEnvelope Publish(HostNotice notice) => Publish(notice, null);

    /// <summary>As <see cref="Publish(HostNotice)"/>; <paramref name="inOrder"/> runs inside the ordering lock,
    /// so a second sink (the webhook queue) sees the notices in id order too. It must not block.</summary>
    internal NoticeEnvelope Publish(HostNotice notice, Action<NoticeEnvelope>? inOrder)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!string.Equals(notice.ConferenceId, ConferenceId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Notice for {notice.ConferenceId} published to {ConferenceId}.", nameof(notice));
        }

        List<SubscriberDroppedNotice>? dropped = null;
        NoticeEnvelope envelope;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            envelope = new NoticeEnvelope(++_lastId, notice);
            int slot = (_replayStart + _replayCount) % _replay.Length;
            _replay[slot] = envelope;
            if (_replayCount == _replay.Length)
            {
                _replayStart = (_replayStart + 1) % _replay.Length;
            }
            else
            {
                _replayCount++;
            }

            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                NoticeSubscription sub = _subscribers[i];
                if (sub.Channel.Writer.TryWrite(envelope))
                {
                    sub.LastQueuedId = envelope.Id;
                    continue;
                }

                var notice2 = new SubscriberDroppedNotice(ConferenceId, _time.GetUtcNow(), sub.Id, sub.LastQueuedId,
                    $"the subscriber fell {_options.SubscriberCapacity} notices behind");
                _subscribers.RemoveAt(i);
                sub.MarkDropped(notice2);
                (dropped ??= []).Add(notice2);
            }

            inOrder?.Invoke(envelope);
        }

        if (dropped is not null)
        {
            foreach (SubscriberDroppedNotice d in dropped)
            {
                SubscriberDropped?.Invoke(d);
            }
        }

        return envelope;
    }

    /// <summary>
    /// Subscribes; with <paramref name="lastEventId"/> (the SSE Last-Event-ID) the notices after it that
    /// are still in the replay buffer are queued first, atomically with joining the live feed, so nothing
    /// is missed or duplicated between the two.
    /// </summary>
    public NoticeSubscription Subscribe(long? lastEventId = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            long oldestKept = _replayCount == 0 ? _lastId + 1 : _replay[_replayStart]!.Id;
            long from = lastEventId ?? _lastId;
            bool incomplete;
            if (from > _lastId)
            {
                // An id this broadcaster never issued (e.g. from before a restart): the client's view is
                // unknown, so it gets everything kept and is told the replay is incomplete.
                from = oldestKept - 1;
                incomplete = true;
            }
            else
            {
                from = Math.Max(from, 0);
                incomplete = from + 1 < oldestKept;
            }

            int replayed = (int)Math.Min(_replayCount, _lastId - Math.Max(from, oldestKept - 1));
            // The channel holds the replayed notices plus the live allowance, so replay alone never drops.
            var channel = Channel.CreateBounded<NoticeEnvelope>(new BoundedChannelOptions(_options.SubscriberCapacity + replayed)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            var sub = new NoticeSubscription(this, ++_nextSubscriberId, channel, incomplete) { LastQueuedId = from };
            for (int i = _replayCount - replayed; i < _replayCount; i++)
            {
                NoticeEnvelope e = _replay[(_replayStart + i) % _replay.Length]!;
                channel.Writer.TryWrite(e);
                sub.LastQueuedId = e.Id;
            }

            _subscribers.Add(sub);
            return sub;
        }
    }

    /// <summary>Ends every subscription (the conference is over).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (NoticeSubscription sub in _subscribers)
            {
                sub.Channel.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    internal void Unsubscribe(NoticeSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
            subscription.Channel.Writer.TryComplete();
        }
    }
}
