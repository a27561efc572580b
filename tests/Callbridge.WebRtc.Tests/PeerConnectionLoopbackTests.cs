using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Callbridge.WebRtc.Tests;

/// <summary>
/// Two PeerConnections over loopback: the publishing offerer (ICE controlling, DTLS actpass) and a receiving
/// answerer (ICE controlled, DTLS active). Needs the test namespace (sockets): scripts/test-in-netns.sh.
/// </summary>
public class PeerConnectionLoopbackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static PeerConnectionOptions Loopback(bool nackAudio = false, bool sendOnCallerThread = false, TimeSpan? receiveBatch = null) => new()
    {
        ReceiveBatchInterval = receiveBatch ?? new PeerConnectionOptions().ReceiveBatchInterval,
        Interfaces = ["lo"],
        Addresses = [IPAddress.Loopback],
        IncludeLoopback = true,
        EnableIPv6 = false,
        NackAudio = nackAudio,
        SendOnCallerThread = sendOnCallerThread,
    };

    [Fact]
    public async Task Packets_lost_on_the_way_are_nacked_resent_from_the_history_and_delivered_in_order()
    {
        var received = new ConcurrentQueue<byte>();
        await using var publisher = new PeerConnection(Loopback(nackAudio: true));
        await using var receiver = new PeerConnection(Loopback(nackAudio: true))
        {
            FrameReceived = (in ReceivedFrame f) => received.Enqueue(f.Data[1]),
        };
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Contains("a=rtcp-fb:111 nack", offer, StringComparison.Ordinal);
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out string? answer));
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));
        Assert.Equal(PeerConnectionState.Connected, await publisher.Settled.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(PeerConnectionState.Connected, await receiver.Settled.WaitAsync(TimeSpan.FromSeconds(20)));
        RemoteTrack track = Assert.Single(receiver.Tracks);
        Assert.True(track.NacksEnabled);

        // Every tenth packet does not leave the first time (it is in the history): only a NACK brings it.
        int sent = 0;
        publisher.DropOutgoingRtp = _ => Interlocked.Increment(ref sent) % 10 == 5;
        const int Count = 100;
        for (int i = 0; i < Count; i++)
        {
            Assert.True(publisher.TrySendOpus([0xF8, (byte)i, 0x55]));
            await Task.Delay(5);
        }

        var clock = Stopwatch.StartNew();
        while (received.Count < Count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        string detail = $"sent {publisher.Statistics}; received {receiver.Statistics}; {track.JitterStatistics}; recovered {track.PacketsRecovered}";
        output.WriteLine(detail);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (byte)i), received.ToArray());
        Assert.Equal(10, publisher.Statistics.Retransmitted);
        // NacksReceived counts NACK packets, NacksSent sequence numbers: under load one NACK may carry two losses.
        Assert.InRange(publisher.Statistics.NacksReceived, 1, 10);
        Assert.Equal(10, receiver.Statistics.NacksSent);
        Assert.Equal(10, track.NacksSent);
        Assert.Equal(10, track.PacketsRecovered);
        Assert.Equal(0, track.PacketsLost);
    }

    [Fact]
    public async Task Audio_is_not_nacked_unless_asked_for()
    {
        // By default an offer does not say that it answers audio NACKs: an SFU would track every packet for it.
        await using var plain = new PeerConnection(Loopback());
        Assert.Equal(PeerConnectionError.None, plain.TryCreateAudioOffer(out string? plainOffer));
        Assert.DoesNotContain("nack", plainOffer, StringComparison.Ordinal);

        // One that does, answered by a receiver that does not NACK audio: its track is not NACKed.
        await using var publisher = new PeerConnection(Loopback(nackAudio: true));
        await using var receiver = new PeerConnection(Loopback());
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Contains("a=rtcp-fb:111 nack", offer, StringComparison.Ordinal);
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out _));
        Assert.False(Assert.Single(receiver.Tracks).NacksEnabled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Opus_sent_by_the_offerer_arrives_in_order_at_the_answerer(bool sendOnCallerThread)
    {
        var received = new ConcurrentQueue<(uint Timestamp, byte[] Data, string Mid)>();
        int inside = 0, overlapped = 0;
        await using var publisher = new PeerConnection(Loopback(sendOnCallerThread: sendOnCallerThread));
        await using var receiver = new PeerConnection(Loopback())
        {
            FrameReceived = (in ReceivedFrame f) =>
            {
                // Frames come from the receive thread and from the tick: never two at once.
                if (Interlocked.Increment(ref inside) > 1) Interlocked.Increment(ref overlapped);
                received.Enqueue((f.Info.RtpTimestamp, f.Data.ToArray(), f.Track.Mid));
                Thread.SpinWait(200);
                Interlocked.Decrement(ref inside);
            },
        };

        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out string? answer));
        Assert.Contains("a=setup:active", answer, StringComparison.Ordinal);
        Assert.Contains("a=recvonly", answer, StringComparison.Ordinal);
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));

        Assert.Equal(PeerConnectionState.Connected, await publisher.Settled.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(PeerConnectionState.Connected, await receiver.Settled.WaitAsync(TimeSpan.FromSeconds(20)));

        // 20 ms CELT-only fullband Opus packets (TOC 0xF8, RFC 6716 §3.1), each with a distinct body.
        const int Count = 50;
        for (int i = 0; i < Count; i++)
        {
            Assert.True(publisher.TrySendOpus([0xF8, (byte)i, (byte)(i * 7)]));
            await Task.Delay(2);
        }

        var clock = Stopwatch.StartNew();
        while (received.Count < Count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        (uint Timestamp, byte[] Data, string Mid)[] frames = received.ToArray();
        Assert.Equal(Count, frames.Length);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal([0xF8, (byte)i, (byte)(i * 7)], frames[i].Data);
            Assert.Equal(frames[0].Timestamp + (uint)(960 * i), frames[i].Timestamp);
            Assert.Equal("0", frames[i].Mid);
        }

        RemoteTrack track = Assert.Single(receiver.Tracks);
        Assert.Equal(TrackKind.Audio, track.Kind);
        Assert.Equal(111, track.PayloadType);
        Assert.Equal(Count, track.PacketsReceived);
        Assert.Equal(0, receiver.Statistics.SrtpFailures);
        Assert.Equal(Count, publisher.Statistics.RtpSent);
        Assert.Equal(0, Volatile.Read(ref overlapped));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Steady_state_send_and_receive_allocate_nothing_per_packet(bool sendOnCallerThread)
    {
        long frames = 0;
        await using var publisher = new PeerConnection(Loopback(sendOnCallerThread: sendOnCallerThread));
        await using var receiver = new PeerConnection(Loopback())
        {
            FrameReceived = (in ReceivedFrame f) => Interlocked.Increment(ref frames),
        };
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out string? answer));
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));
        Assert.Equal(PeerConnectionState.Connected, await publisher.Settled.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(PeerConnectionState.Connected, await receiver.Settled.WaitAsync(TimeSpan.FromSeconds(20)));

        byte[] opus = [0xF8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        // Warm-up: pools, the SSRC route, the jitter buffer's first window, JIT.
        await OnOwnThread(() => SendAndWait(publisher, opus, 300, () => Interlocked.Read(ref frames), 300));
        long warmFrames = Interlocked.Read(ref frames);
        Assert.True(warmFrames >= 270, $"{warmFrames} of 300 warm-up frames");

        // Everything the process allocates (both connections, the ICE sockets, timers) while 2,000 packets
        // go out, through SRTP, over loopback, back through SRTP, the jitter buffer and the depacketizer.
        const int Measured = 2000;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long sendLoopBefore = publisher.LoopAllocatedBytes;
        long receiveLoopBefore = receiver.LoopAllocatedBytes;
        await OnOwnThread(() => SendAndWait(publisher, opus, Measured, () => Interlocked.Read(ref frames), 300 + Measured));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long sendLoop = publisher.LoopAllocatedBytes - sendLoopBefore;
        long receiveLoop = receiver.LoopAllocatedBytes - receiveLoopBefore;

        RemoteTrack track = Assert.Single(receiver.Tracks);
        string detail = $"sent {publisher.Statistics}; received {receiver.Statistics}; track packets {track.PacketsReceived}, {track.JitterStatistics}";
        long measuredFrames = Interlocked.Read(ref frames) - warmFrames;
        // This test measures allocation per delivered packet; it needs enough packets for that figure, not
        // lossless delivery. Loopback delivery at this burst rate loses up to a fifth of the packets in
        // the kernel on some runs (cause under investigation; a real call's rate, 50 packets/s, loses none
        // in the Janus tests), so only a majority is required here.
        Assert.True(measuredFrames >= Measured / 2, $"{measuredFrames} of {Measured} frames; {detail}");
        string figures = $"loops: send {sendLoop} B, receive {receiveLoop} B; whole process {allocated} B ({(double)allocated / measuredFrames:F1} per packet) for {measuredFrames} packets";
        output.WriteLine(figures);
        // The connections' loops (packetize, SRTP protect, send; SRTP unprotect, route, jitter buffer,
        // depacketize, deliver) allocate nothing per packet; the rest of the process is reported above.
        Assert.True(sendLoop < 1024, figures);
        Assert.True(receiveLoop < 1024, figures);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Dense_media_is_received_in_batches_and_every_packet_arrives_in_order(int batchMs)
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var publisher = new PeerConnection(Loopback(sendOnCallerThread: true));
        await using var receiver = new PeerConnection(Loopback(receiveBatch: TimeSpan.FromMilliseconds(batchMs)))
        {
            FrameReceived = (in ReceivedFrame f) => received.Enqueue(f.Data.ToArray()),
        };
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out string? answer));
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));
        Assert.Equal(PeerConnectionState.Connected, await publisher.Settled.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(PeerConnectionState.Connected, await receiver.Settled.WaitAsync(TimeSpan.FromSeconds(20)));

        // One packet per millisecond (the rate of ten audio + video streams), each with its index in the body.
        const int Count = 500;
        long wakesBefore = receiver.ReceiveWakes;
        await OnOwnThread(() =>
        {
            for (int i = 0; i < Count; i++)
            {
                Assert.True(publisher.TrySendOpus([0xF8, (byte)(i >> 8), (byte)i]));
                Thread.Sleep(1);
            }
        });
        var clock = Stopwatch.StartNew();
        while (received.Count < Count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        long wakes = receiver.ReceiveWakes - wakesBefore;
        byte[][] frames = received.ToArray();
        output.WriteLine($"batch {batchMs} ms: {frames.Length} of {Count} packets in {wakes} wakes; {receiver.Statistics}");
        Assert.Equal(Enumerable.Range(0, Count).Select(i => new byte[] { 0xF8, (byte)(i >> 8), (byte)i }), frames);
        if (batchMs > 0)
        {
            // About one wake per 5 ms, a fifth of the packets; even a loaded machine that stretches the
            // sender's 1 ms sleeps keeps it well under half.
            Assert.True(wakes < Count / 2, $"{wakes} wakes for {Count} packets");
        }
        else
        {
            // RTCP and consent checks share the socket: at least one wake per media packet.
            Assert.True(wakes >= Count, $"{wakes} wakes for {Count} packets");
        }
    }

    /// <summary>The pacing sleeps run on a dedicated thread so they never starve the pool the connections' loops run on.</summary>
    private static Task OnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void SendAndWait(PeerConnection publisher, byte[] opus, int count, Func<long> received, long expected)
    {
        for (int i = 0; i < count; i++)
        {
            // A full queue is back-pressure, not failure: on a loaded machine the loop may fall behind the
            // burst, so wait for room (bounded), as a paced real-time sender would never get this far ahead.
            var waited = Stopwatch.StartNew();
            while (!publisher.TrySendOpus(opus))
            {
                Assert.True(publisher.State == PeerConnectionState.Connected && waited.Elapsed < TimeSpan.FromSeconds(5),
                    $"send {i} refused in state {publisher.State} for {waited.Elapsed.TotalSeconds:0.0} s; {publisher.Statistics}");
                Thread.Sleep(1);
            }
            if (i % 2 == 1)
            {
                // Under 1,000 packets/s in pairs: twenty calls' worth of audio, which the loopback socket's
                // default receive buffer absorbs even on a busy machine (bursts of five at 2,500/s overflowed it).
                Thread.Sleep(2);
            }
        }

        var clock = Stopwatch.StartNew();
        while (received() < expected && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }
    }

    [Fact]
    public async Task A_repeated_offer_is_stale_and_closing_settles_as_Closed()
    {
        var publisher = new PeerConnection(Loopback());
        await using var receiver = new PeerConnection(Loopback());
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out _));
        // RFC 3264 §8: the same o= version again is no new offer (a renegotiation needs a higher one).
        Assert.Equal(PeerConnectionError.StaleOffer, receiver.TryApplyOffer(offer!, out _));
        Assert.Equal(PeerConnectionError.WrongState, publisher.TryApplyOffer(offer!, out _));
        Assert.Equal(PeerConnectionError.WrongState, publisher.TryCreateAudioOffer(out _));
        await publisher.DisposeAsync();
        Assert.Equal(PeerConnectionState.Closed, publisher.State);
        Assert.Equal(PeerConnectionState.Closed, await publisher.Settled.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
