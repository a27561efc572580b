using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Tests;

public sealed class BroadcasterTests
{
    private static List<long> Drain(NoticeSubscription s)
    {
        var ids = new List<long>();
        while (s.Reader.TryRead(out NoticeEnvelope? e))
        {
            ids.Add(e.Id);
        }

        return ids;
    }

    [Fact]
    public void Ids_are_sequential_and_subscribers_see_publication_order()
    {
        var b = new NoticeBroadcaster("c1");
        using NoticeSubscription s = b.Subscribe();
        for (int i = 1; i <= 10; i++)
        {
            Assert.Equal(i, b.Publish(Notices.State("c1", i)).Id);
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Drain(s));
        Assert.Throws<ArgumentException>(() => b.Publish(Notices.State("other", 1)));
    }

    [Fact]
    public void Resume_replays_exactly_what_was_missed_then_continues_live()
    {
        var b = new NoticeBroadcaster("c1", new NoticeBroadcasterOptions { ReplayCapacity = 8 });
        for (int i = 1; i <= 5; i++)
        {
            b.Publish(Notices.State("c1", i));
        }

        using NoticeSubscription resumed = b.Subscribe(lastEventId: 3);
        Assert.False(resumed.ReplayIncomplete);
        b.Publish(Notices.State("c1", 6));
        Assert.Equal([4L, 5, 6], Drain(resumed));

        using NoticeSubscription fresh = b.Subscribe();
        b.Publish(Notices.State("c1", 7));
        Assert.Equal([7L], Drain(fresh));

        using NoticeSubscription upToDate = b.Subscribe(lastEventId: 7);
        Assert.Empty(Drain(upToDate));
        Assert.False(upToDate.ReplayIncomplete);
    }

    [Fact]
    public void Resume_from_before_the_replay_buffer_is_flagged_incomplete()
    {
        var b = new NoticeBroadcaster("c1", new NoticeBroadcasterOptions { ReplayCapacity = 4 });
        for (int i = 1; i <= 10; i++)
        {
            b.Publish(Notices.State("c1", i));
        }

        using NoticeSubscription late = b.Subscribe(lastEventId: 2);
        Assert.True(late.ReplayIncomplete);
        Assert.Equal([7L, 8, 9, 10], Drain(late));

        using NoticeSubscription edge = b.Subscribe(lastEventId: 6);
        Assert.False(edge.ReplayIncomplete);
        Assert.Equal([7L, 8, 9, 10], Drain(edge));

        // An id this broadcaster never issued (e.g. from before a restart).
        using NoticeSubscription stranger = b.Subscribe(lastEventId: 500);
        Assert.True(stranger.ReplayIncomplete);
        Assert.Equal([7L, 8, 9, 10], Drain(stranger));
    }

    [Fact]
    public void Slow_subscriber_is_dropped_with_a_notice_and_never_holds_up_others()
    {
        var b = new NoticeBroadcaster("c1", new NoticeBroadcasterOptions { SubscriberCapacity = 4 });
        var droppedEvents = new List<SubscriberDroppedNotice>();
        b.SubscriberDropped += droppedEvents.Add;
        using NoticeSubscription slow = b.Subscribe();
        using NoticeSubscription fast = b.Subscribe();
        var received = new List<long>();
        for (int i = 1; i <= 200; i++)
        {
            b.Publish(Notices.State("c1", i));
            if (i % 3 == 0)
            {
                // The fast subscriber reads what it has (at most 3 pending, under its capacity of 4);
                // the slow one never reads.
                while (fast.Reader.TryRead(out NoticeEnvelope? e))
                {
                    received.Add(e.Id);
                }
            }
        }

        while (fast.Reader.TryRead(out NoticeEnvelope? e))
        {
            received.Add(e.Id);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), received);

        SubscriberDroppedNotice dropped = Assert.Single(droppedEvents);
        Assert.Equal((slow.Id, 4L), (dropped.SubscriberId, dropped.LastDeliveredId));
        Assert.Same(dropped, slow.Dropped);
        Assert.Null(fast.Dropped);
        Assert.Equal([1L, 2, 3, 4], Drain(slow));
        Assert.True(slow.Reader.Completion.IsCompleted);
        Assert.Equal(1, b.SubscriberCount);
    }

    [Fact]
    public void Unsubscribe_and_close_complete_the_readers()
    {
        var hub = new NoticeHub();
        NoticeBroadcaster b = hub.For("c1");
        Assert.Same(b, hub.For("c1"));
        NoticeSubscription a = b.Subscribe();
        NoticeSubscription c = b.Subscribe();
        a.Dispose();
        Assert.True(a.Reader.Completion.IsCompleted);
        Assert.Equal(1, b.SubscriberCount);
        hub.End("c1");
        Assert.True(c.Reader.Completion.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => b.Publish(Notices.State("c1", 1)));
        Assert.NotSame(b, hub.For("c1"));
    }
}
