using Callbridge.Media;

namespace Callbridge.Media.Tests;

public class JitterBufferTests
{
    private readonly ManualTimeProvider _time = new();

    private JitterBuffer Create(int capacity = 64, int depth = 32, int latencyMs = 100) =>
        new(new JitterBufferOptions { Capacity = capacity, MaxDepth = depth, MaxLatency = TimeSpan.FromMilliseconds(latencyMs) }, _time);

    private static List<ushort> Drain(JitterBuffer buffer, List<int>? lostBefore = null)
    {
        var released = new List<ushort>();
        while (buffer.TryRelease(out var packet))
        {
            released.Add(Packets.Seq(packet.Data));
            lostBefore?.Add(packet.LostBefore);
        }

        return released;
    }

    [Fact]
    public void InOrderPacketsPassStraightThrough()
    {
        using var buffer = Create();
        for (ushort s = 10; s < 15; s++)
        {
            Assert.Equal(JitterInsertResult.Inserted, buffer.Insert(Packets.Rtp(s, payload: [(byte)s])));
            Assert.Equal(new ushort[] { s }, Drain(buffer));
        }

        Assert.Equal(5, buffer.Statistics.Released);
        Assert.Equal(0, buffer.Statistics.Reordered);
    }

    [Fact]
    public void ReorderedPacketsAreReleasedInOrderAcrossTheWrap()
    {
        using var buffer = Create();
        ushort[] arrival = [65533, 65535, 0, 65534, 2, 1, 3];
        var released = new List<ushort>();
        foreach (var s in arrival)
        {
            Assert.Equal(JitterInsertResult.Inserted, buffer.Insert(Packets.Rtp(s)));
            released.AddRange(Drain(buffer));
        }

        Assert.Equal(new ushort[] { 65533, 65534, 65535, 0, 1, 2, 3 }, released);
        var stats = buffer.Statistics;
        Assert.Equal(2, stats.Reordered); // 65534 and 1 arrived after a newer one
        Assert.Equal(0, stats.Lost);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void PacketOlderThanTheFirstIsKeptUntilSomethingIsReleased()
    {
        using var buffer = Create();
        Assert.Equal(JitterInsertResult.Inserted, buffer.Insert(Packets.Rtp(11)));
        Assert.Equal(JitterInsertResult.Inserted, buffer.Insert(Packets.Rtp(10)));
        Assert.Equal(new ushort[] { 10, 11 }, Drain(buffer));
        Assert.Equal(JitterInsertResult.Late, buffer.Insert(Packets.Rtp(9)));
    }

    [Fact]
    public void DuplicatesAndLatePacketsAreDroppedAndCounted()
    {
        using var buffer = Create();
        buffer.Insert(Packets.Rtp(1));
        buffer.Insert(Packets.Rtp(3));
        Assert.Equal(JitterInsertResult.Duplicate, buffer.Insert(Packets.Rtp(3)));
        Assert.Equal(new ushort[] { 1 }, Drain(buffer));
        Assert.Equal(JitterInsertResult.Late, buffer.Insert(Packets.Rtp(1)));
        Assert.Equal(JitterInsertResult.Invalid, buffer.Insert(new byte[5]));
        var stats = buffer.Statistics;
        Assert.Equal(1, stats.Duplicates);
        Assert.Equal(1, stats.Late);
    }

    [Fact]
    public void GapIsGivenUpAfterMaxLatencyAndReportedAsLoss()
    {
        using var buffer = Create(latencyMs: 100);
        buffer.Insert(Packets.Rtp(100));
        Assert.Single(Drain(buffer));
        buffer.Insert(Packets.Rtp(103));
        buffer.Insert(Packets.Rtp(104));
        _time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Empty(Drain(buffer));
        Assert.Equal(TimeSpan.FromMilliseconds(40), buffer.GetTimeUntilRelease());

        // 101 arrives in time; 102 never does.
        buffer.Insert(Packets.Rtp(101));
        Assert.Equal(new ushort[] { 101 }, Drain(buffer));
        _time.Advance(TimeSpan.FromMilliseconds(40));
        var lost = new List<int>();
        Assert.Equal(new ushort[] { 103, 104 }, Drain(buffer, lost));
        Assert.Equal(new[] { 1, 0 }, lost);
        Assert.Equal(1, buffer.Statistics.Lost);

        // 102 finally arrives: too late.
        Assert.Equal(JitterInsertResult.Late, buffer.Insert(Packets.Rtp(102)));
        Assert.Null(buffer.GetTimeUntilRelease());
    }

    [Fact]
    public void TheWaitForAGapCountsFromTheArrivalGivenNotFromTheInsert()
    {
        using var buffer = Create(latencyMs: 40);
        buffer.Insert(Packets.Rtp(10));
        Assert.Single(Drain(buffer));

        // 12 arrived 15 ms before it was taken from the socket and inserted; 11 is missing.
        _time.Advance(TimeSpan.FromMilliseconds(20));
        buffer.Insert(Packets.Rtp(12), _time.GetTimestamp() - (15 * _time.TimestampFrequency / 1000));
        Assert.Equal(TimeSpan.FromMilliseconds(25), buffer.GetTimeUntilRelease());
        _time.Advance(TimeSpan.FromMilliseconds(24));
        Assert.Empty(Drain(buffer));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new ushort[] { 12 }, Drain(buffer));
        Assert.Equal(1, buffer.Statistics.Lost);
    }

    [Fact]
    public void GapIsGivenUpWhenTheWindowExceedsMaxDepth()
    {
        using var buffer = Create(capacity: 64, depth: 8);
        buffer.Insert(Packets.Rtp(0));
        Drain(buffer);
        for (ushort s = 2; s <= 8; s++)
        {
            buffer.Insert(Packets.Rtp(s));
            Assert.Empty(Drain(buffer));
        }

        // Window 1..9 is 9 > 8 deep: give up on 1.
        buffer.Insert(Packets.Rtp(9));
        var released = Drain(buffer);
        Assert.Equal(Enumerable.Range(2, 8).Select(i => (ushort)i), released);
        Assert.Equal(1, buffer.Statistics.Lost);
    }

    [Fact]
    public void JumpBeyondTheRingRestartsTheBuffer()
    {
        using var buffer = Create(capacity: 16, depth: 16);
        buffer.Insert(Packets.Rtp(1));
        Drain(buffer);
        buffer.Insert(Packets.Rtp(3));
        Assert.Equal(JitterInsertResult.Restarted, buffer.Insert(Packets.Rtp(500)));
        Assert.Equal(new ushort[] { 500 }, Drain(buffer));
        Assert.Equal(1, buffer.Statistics.Discarded);
        Assert.Equal(1, buffer.Statistics.Restarts);

        // A source that restarts far behind is confirmed by two consecutive packets.
        Assert.Equal(JitterInsertResult.Late, buffer.Insert(Packets.Rtp(100)));
        Assert.Equal(JitterInsertResult.Restarted, buffer.Insert(Packets.Rtp(101)));
        Assert.Equal(new ushort[] { 101 }, Drain(buffer));
        Assert.Equal(JitterInsertResult.Inserted, buffer.Insert(Packets.Rtp(102)));
        Assert.Equal(new ushort[] { 102 }, Drain(buffer));
    }

    [Fact]
    public void HeldPacketsCanBeReleasedBeforeAJumpBeyondTheRingWouldDiscardThem()
    {
        using var buffer = Create(capacity: 16, depth: 16);
        buffer.Insert(Packets.Rtp(1));
        Drain(buffer);
        // 2 is missing: 3 and 4 wait for it.
        buffer.Insert(Packets.Rtp(3));
        buffer.Insert(Packets.Rtp(4));
        Assert.Empty(Drain(buffer));
        Assert.False(buffer.WouldDiscardHeld(Packets.Rtp(17)));
        Assert.True(buffer.WouldDiscardHeld(Packets.Rtp(18)));
        Assert.True(buffer.WouldDiscardHeld(Packets.Rtp(500)));

        var lostBefore = new List<int>();
        var released = new List<ushort>();
        while (buffer.TryRelease(out var packet, giveUpOnGaps: true))
        {
            released.Add(Packets.Seq(packet.Data));
            lostBefore.Add(packet.LostBefore);
        }

        Assert.Equal(new ushort[] { 3, 4 }, released);
        Assert.Equal([1, 0], lostBefore);
        Assert.False(buffer.WouldDiscardHeld(Packets.Rtp(500)));
        Assert.Equal(JitterInsertResult.Restarted, buffer.Insert(Packets.Rtp(500)));
        Assert.Equal(new ushort[] { 500 }, Drain(buffer));
        Assert.Equal(0, buffer.Statistics.Discarded);
        Assert.Equal(1, buffer.Statistics.Lost);
    }

    [Fact]
    public void PacketLargerThanTheSlotIsRefused()
    {
        using var buffer = new JitterBuffer(new JitterBufferOptions { MaxPacketSize = 100 }, _time);
        Assert.Equal(JitterInsertResult.TooLarge, buffer.Insert(Packets.Rtp(1, payload: new byte[100])));
        Assert.Equal(1, buffer.Statistics.TooLarge);
    }

    [Fact]
    public void ReleasedBytesAreTheInsertedPacket()
    {
        using var buffer = Create();
        var packet = Packets.Rtp(7, 1234, true, payload: [1, 2, 3]);
        buffer.Insert(packet);
        Assert.True(buffer.TryRelease(out var released));
        Assert.Equal(packet, released.Data.ToArray());
        Assert.Equal(7, released.SequenceNumber);
        Assert.Equal(_time.GetTimestamp(), released.ArrivalTimestamp);
    }

    [Fact]
    public void InsertAndReleaseAllocateNothingPerPacket()
    {
        using var buffer = Create(capacity: 512, depth: 256);
        var packets = Enumerable.Range(0, 64).Select(i => Packets.Rtp((ushort)i, payload: new byte[200])).ToArray();
        int round = 0;
        void Run(int rounds)
        {
            for (int end = round + rounds; round < end; round++)
            {
                int r = round;
                // Pairs swapped to exercise reordering.
                for (int i = 0; i < packets.Length; i += 2)
                {
                    var a = packets[i + 1];
                    var b = packets[i];
                    ushort baseSeq = (ushort)(r * 64);
                    a[2] = (byte)((baseSeq + i + 1) >> 8);
                    a[3] = (byte)(baseSeq + i + 1);
                    b[2] = (byte)((baseSeq + i) >> 8);
                    b[3] = (byte)(baseSeq + i);
                    buffer.Insert(a);
                    buffer.Insert(b);
                    while (buffer.TryRelease(out _))
                    {
                    }
                }
            }
        }

        Run(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(2010 * 64, buffer.Statistics.Released);
        Assert.Equal(0, buffer.Statistics.Lost);
    }
}
