using Callbridge.Media;
using Callbridge.Rtcp;
using Callbridge.Rtp;

namespace Callbridge.Media.Tests;

public class NackAndHistoryTests
{
    private readonly ManualTimeProvider _time = new();

    private NackGenerator Create(int maxMissing = 256, int maxRetries = 3) => new(
        new NackOptions
        {
            MaxMissing = maxMissing,
            MaxRetries = maxRetries,
            ReorderDelay = TimeSpan.FromMilliseconds(5),
            MinRetryInterval = TimeSpan.FromMilliseconds(20),
            InitialRoundTripTime = TimeSpan.FromMilliseconds(50),
            MaxAge = TimeSpan.FromSeconds(1),
        },
        _time);

    [Fact]
    public void RequestsMissingAfterReorderDelayThenRetriesEveryRtt()
    {
        var nack = Create();
        Span<ushort> requests = stackalloc ushort[32];
        nack.OnPacket(65533);
        nack.OnPacket(1); // 65534, 65535, 0 missing
        Assert.Equal(3, nack.MissingCount);
        Assert.Equal(0, nack.GetRequests(requests)); // reorder delay not elapsed
        _time.Advance(TimeSpan.FromMilliseconds(5));
        int n = nack.GetRequests(requests);
        Assert.Equal(new ushort[] { 65534, 65535, 0 }, requests[..n].ToArray());

        nack.OnPacket(65535); // retransmission arrives
        Assert.Equal(1, nack.Recovered);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(0, nack.GetRequests(requests)); // RTT 50 ms not elapsed
        _time.Advance(TimeSpan.FromMilliseconds(20));
        n = nack.GetRequests(requests);
        Assert.Equal(new ushort[] { 65534, 0 }, requests[..n].ToArray());

        nack.UpdateRoundTripTime(TimeSpan.FromMilliseconds(10)); // below the floor: 20 ms applies
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(0, nack.GetRequests(requests));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, nack.GetRequests(requests));

        // Third request was the last: the next pass gives up on both.
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(0, nack.GetRequests(requests));
        Assert.Equal(0, nack.MissingCount);
        Assert.Equal(2, nack.GivenUp);
    }

    [Fact]
    public void GapLargerThanTheListAsksForAKeyFrame()
    {
        var nack = Create(maxMissing: 16);
        nack.OnPacket(10);
        nack.OnPacket(40);
        Assert.True(nack.KeyFrameNeeded);
        Assert.Equal(0, nack.MissingCount);
        nack.KeyFrameNeeded = false;
        nack.OnPacket(45);
        Assert.Equal(4, nack.MissingCount);
        Assert.False(nack.KeyFrameNeeded);
    }

    [Fact]
    public void NackRoundTripThroughRtcpIsAnsweredFromHistoryAndAsRtx()
    {
        using var history = new RetransmissionHistory(64, TimeSpan.FromSeconds(1), _time);
        for (ushort s = 100; s < 120; s++)
        {
            Assert.True(history.Store(Packets.Rtp(s, (uint)s * 3000, payload: [(byte)s, 0xEE])));
        }

        // Receiver side: 103, 104, 110 missing.
        var nack = Create();
        foreach (ushort s in new ushort[] { 100, 101, 102, 105, 106, 107, 108, 109, 111 })
        {
            nack.OnPacket(s);
        }

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Span<ushort> lost = stackalloc ushort[16];
        int n = nack.GetRequests(lost);
        Span<byte> fci = stackalloc byte[64];
        int fciLength = GenericNack.WriteFci(lost[..n], fci);
        var packet = new GenericNack { SenderSsrc = 1, MediaSsrc = 0x1234, Fci = fci[..fciLength] };
        var wire = new byte[packet.GetSerializedLength()];
        packet.WriteTo(wire);

        // Sender side.
        Assert.Equal(RtcpError.None, GenericNack.TryParse(wire, out var received, out _));
        Span<ushort> found = stackalloc ushort[16];
        int answerable = history.GetAnswerable(received, found);
        Assert.Equal(new ushort[] { 103, 104, 110 }, found[..answerable].ToArray());
        Assert.True(history.TryGet(104, out var original));
        Assert.Equal(Packets.Rtp(104, 104 * 3000, payload: [104, 0xEE]), original.ToArray());

        // RFC 4588 §4: RTX keeps the timestamp, carries OSN first.
        var rtx = new byte[64];
        Assert.True(history.TryWriteRtx(110, 97, 0x5678, 7, rtx, out int written));
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(rtx.AsSpan(0, written), out var rtxPacket, out _));
        Assert.Equal(97, rtxPacket.PayloadType);
        Assert.Equal(0x5678u, rtxPacket.Ssrc);
        Assert.Equal(7, rtxPacket.SequenceNumber);
        Assert.Equal(330000u, rtxPacket.Timestamp);
        Assert.Equal(new byte[] { 0, 110, 110, 0xEE }, rtxPacket.Payload.ToArray());

        // Receiver: unwrap and restore the original packet.
        Assert.True(Rtx.TryUnwrap(rtxPacket.Payload, out ushort osn, out var originalPayload));
        Assert.Equal(110, osn);
        var restored = new RtpPacket { PayloadType = 96, SequenceNumber = osn, Timestamp = rtxPacket.Timestamp, Ssrc = 0x1234, Payload = originalPayload };
        var restoredBytes = new byte[restored.GetSerializedLength()];
        restored.WriteTo(restoredBytes);
        Assert.Equal(Packets.Rtp(110, 330000, payload: [110, 0xEE]), restoredBytes);
        Assert.False(Rtx.TryUnwrap([1], out _, out _));
    }

    [Fact]
    public void HistoryForgetsOverwrittenAndExpiredPackets()
    {
        using var history = new RetransmissionHistory(4, TimeSpan.FromMilliseconds(500), _time);
        for (ushort s = 0; s < 6; s++)
        {
            history.Store(Packets.Rtp(s));
        }

        Assert.False(history.TryGet(1, out _)); // overwritten by 5
        Assert.True(history.TryGet(5, out _));
        _time.Advance(TimeSpan.FromMilliseconds(501));
        Assert.False(history.TryGet(5, out _));
        Assert.False(history.Store(new byte[3]));
    }
}
