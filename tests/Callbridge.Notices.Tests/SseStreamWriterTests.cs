using System.Net.ServerSentEvents;
using System.Text;
using Callbridge.Negotiation.Tests.Support;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Sse;

namespace Callbridge.Notices.Tests;

public sealed class SseStreamWriterTests
{
    private static async Task<List<SseItem<string>>> Parse(byte[] bytes)
    {
        var items = new List<SseItem<string>>();
        await foreach (SseItem<string> item in SseParser.Create(new MemoryStream(bytes)).EnumerateAsync())
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public async Task Dropped_subscriber_gets_its_notices_then_a_final_unsequenced_dropped_event()
    {
        var b = new NoticeBroadcaster("c1", new NoticeBroadcasterOptions { SubscriberCapacity = 2 });
        NoticeSubscription slow = b.Subscribe();
        for (int i = 1; i <= 5; i++)
        {
            b.Publish(Notices.State("c1", i));
        }

        var output = new MemoryStream();
        await SseStreamWriter.WriteAsync(slow, output, TimeProvider.System, TimeSpan.FromSeconds(15), CancellationToken.None);
        List<SseItem<string>> items = await Parse(output.ToArray());
        Assert.Equal(["1", "2", null], items.Select(i => i.EventId));
        Assert.Equal("subscriber_dropped", items[2].EventType);
        var dropped = Assert.IsType<SubscriberDroppedNotice>(NoticeEnvelope.Deserialize(Encoding.UTF8.GetBytes(items[2].Data)));
        Assert.Equal(2, dropped.LastDeliveredId);
        // The text itself: no id line on the final event, so Last-Event-ID stays at 2.
        Assert.EndsWith("event: subscriber_dropped\ndata: " + items[2].Data + "\n\n", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incomplete_replay_is_announced_first()
    {
        var b = new NoticeBroadcaster("c1", new NoticeBroadcasterOptions { ReplayCapacity = 2 });
        for (int i = 1; i <= 5; i++)
        {
            b.Publish(Notices.State("c1", i));
        }

        NoticeSubscription s = b.Subscribe(lastEventId: 1);
        b.Close();
        var output = new MemoryStream();
        await SseStreamWriter.WriteAsync(s, output, TimeProvider.System, TimeSpan.FromSeconds(15), CancellationToken.None);
        List<SseItem<string>> items = await Parse(output.ToArray());
        Assert.Equal([SseStreamWriter.ReplayIncompleteEvent, "gateway_state", "gateway_state"], items.Select(i => i.EventType));
        Assert.Equal([null, "4", "5"], items.Select(i => i.EventId));
    }

    [Fact]
    public async Task Idle_stream_gets_keepalive_comments_on_the_injected_clock()
    {
        var time = new ManualTimeProvider();
        var b = new NoticeBroadcaster("c1");
        NoticeSubscription s = b.Subscribe();
        var output = new SyncStream();
        Task writing = SseStreamWriter.WriteAsync(s, output, time, TimeSpan.FromSeconds(15), CancellationToken.None);
        await WaitFor(() => time.ActiveTimers > 0);
        Assert.Equal("", output.Text);
        time.Advance(TimeSpan.FromSeconds(15));
        await WaitFor(() => output.Text == ": keepalive\n\n");
        await WaitFor(() => time.ActiveTimers > 0);
        b.Publish(Notices.State("c1", 1));
        await WaitFor(() => output.Text.Contains("id: 1\n", StringComparison.Ordinal));
        b.Close();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }

    private sealed class SyncStream : MemoryStream
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get { lock (_gate) { return Encoding.UTF8.GetString(ToArray()); } }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate) { base.Write(buffer, offset, count); }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_gate) { base.Write(buffer); }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
