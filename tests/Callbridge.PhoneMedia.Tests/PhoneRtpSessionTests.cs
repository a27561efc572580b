using System.Net;
using System.Net.Sockets;
using Callbridge.Audio.G711;
using Callbridge.Rtp;
using Callbridge.Sdp;

namespace Callbridge.PhoneMedia.Tests;

/// <summary>
/// The session against a plain UDP socket on the test namespace's address, with a manual clock: each
/// <c>Advance(20 ms)</c> is one timer tick. Opens sockets, so it runs inside scripts/test-in-netns.sh.
/// </summary>
public sealed class PhoneRtpSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private readonly ManualTimeProvider _time = new();
    private readonly Socket _peer = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private PhoneRtpSession _session = null!;
    private IPEndPoint _peerEndPoint = null!;

    public Task InitializeAsync()
    {
        TestEnvironment.RequireNetns(nameof(PhoneRtpSessionTests));
        _peer.Bind(new IPEndPoint(TestEnvironment.TestIp, 0));
        _peer.ReceiveTimeout = 2000;
        _peerEndPoint = (IPEndPoint)_peer.LocalEndPoint!;
        _session = PhoneRtpSession.Open(TestEnvironment.TestIp, time: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _peer.Dispose();
    }

    private PhoneMediaParameters Parameters(SdpDirection direction = SdpDirection.SendRecv, IPEndPoint? remote = null) =>
        new(remote ?? _peerEndPoint, PhoneCodec.Pcma, 8, 101, direction);

    private byte[] ReceiveAt(Socket socket)
    {
        var buffer = new byte[1500];
        int n = socket.Receive(buffer);
        return buffer[..n];
    }

    private bool NothingMoreAt(Socket socket)
    {
        socket.ReceiveTimeout = 200;
        try
        {
            socket.Receive(new byte[1500]);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return true;
        }
        finally
        {
            socket.ReceiveTimeout = 2000;
        }
    }

    private static (byte PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc, byte[] Payload) Rtp(byte[] datagram)
    {
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(datagram, out RtpPacket p, out _));
        return (p.PayloadType, p.Marker, p.SequenceNumber, p.Timestamp, p.Ssrc, p.Payload.ToArray());
    }

    private static byte[] Packet(byte payloadType, ushort sequence, uint timestamp, ReadOnlySpan<byte> payload, bool marker = false)
    {
        var packet = new RtpPacket { PayloadType = payloadType, SequenceNumber = sequence, Timestamp = timestamp, Ssrc = 0x5eed, Payload = payload, Marker = marker };
        var buffer = new byte[packet.GetSerializedLength()];
        packet.WriteTo(buffer);
        return buffer;
    }

    private static byte[] ALawFrame(short level)
    {
        var pcm = new short[160];
        Array.Fill(pcm, level);
        var payload = new byte[160];
        ALaw.Encode(pcm, payload);
        return payload;
    }

    /// <summary>Takes the datagrams sent to the session (as a tick would first) until <paramref name="packets"/> are in.</summary>
    private async Task WaitForReceivedAsync(long packets)
    {
        for (int i = 0; i < 200; i++)
        {
            _session.TakeReceivedNow();
            if (_session.Statistics.PacketsReceived >= packets)
            {
                break;
            }

            await Task.Delay(10);
        }

        Assert.Equal(packets, _session.Statistics.PacketsReceived);
    }

    [Fact]
    public void Sends_one_20_ms_packet_per_tick_with_consecutive_sequence_and_timestamps()
    {
        var source = new ConstantSource(1000);
        _session.AudioSource = source;
        _session.Start(Parameters());

        for (int i = 0; i < 10; i++)
        {
            _time.Advance(Frame);
        }

        var packets = Enumerable.Range(0, 10).Select(_ => Rtp(ReceiveAt(_peer))).ToList();
        Assert.True(NothingMoreAt(_peer));
        Assert.All(packets, p => Assert.Equal((byte)8, p.PayloadType));
        Assert.All(packets, p => Assert.Equal(_session.Ssrc, p.Ssrc));
        Assert.All(packets, p => Assert.Equal(160, p.Payload.Length));
        Assert.Equal(Enumerable.Repeat(1, 9), packets.Zip(packets.Skip(1), (a, b) => (ushort)(b.Sequence - a.Sequence)).Select(d => (int)d));
        Assert.Equal(Enumerable.Repeat(160u, 9), packets.Zip(packets.Skip(1), (a, b) => b.Timestamp - a.Timestamp));
        Assert.Equal([true, .. Enumerable.Repeat(false, 9)], packets.Select(p => p.Marker));
        Assert.All(packets[0].Payload, b => Assert.Equal(ALaw.Encode(1000), b));
        Assert.Equal(10, source.Reads);
    }

    [Fact]
    public void A_stalled_timer_catches_up_the_frames_due_and_skips_beyond_the_bound()
    {
        _session.Start(Parameters());
        _time.Advance(Frame);
        uint first = Rtp(ReceiveAt(_peer)).Timestamp;

        // Three frames late: the overdue tick sends all three.
        _time.Jump(TimeSpan.FromMilliseconds(60));
        _time.Advance(TimeSpan.Zero);
        var caughtUp = Enumerable.Range(0, 3).Select(_ => Rtp(ReceiveAt(_peer)).Timestamp).ToList();
        Assert.Equal([first + 160, first + 320, first + 480], caughtUp);

        // A second's stall (50 frames due): one frame goes out, the timestamp still follows the clock.
        _time.Jump(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.Zero);
        uint resumed = Rtp(ReceiveAt(_peer)).Timestamp;
        Assert.True(NothingMoreAt(_peer));
        Assert.Equal(first + (160u * 53), resumed);
        Assert.Equal(49, _session.Statistics.FramesSkipped);
    }

    [Fact]
    public async Task Media_goes_to_where_the_peer_sends_from_symmetric_rtp()
    {
        using var nat = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        nat.Bind(new IPEndPoint(TestEnvironment.TestIp, 0));
        nat.ReceiveTimeout = 2000;
        _session.Start(Parameters());
        _time.Advance(Frame);
        ReceiveAt(_peer);

        nat.SendTo(Packet(8, 1, 0, ALawFrame(0)), _session.LocalEndPoint);
        await WaitForReceivedAsync(1);
        _time.Advance(Frame);

        Assert.Equal(nat.LocalEndPoint, _session.LatchedRemote);
        Assert.Equal((byte)8, Rtp(ReceiveAt(nat)).PayloadType);
        Assert.True(NothingMoreAt(_peer));
    }

    [Fact]
    public void A_tick_takes_what_the_socket_queued_before_it_plays_and_times_it_from_the_kernel_arrival()
    {
        using var kernelStamps = KernelArrivalStamps.Enable(TimeSpan.FromSeconds(5));
        var sink = new RecordingSink();
        var observer = new ArrivalObserver();
        _session.AudioSink = sink;
        _session.Observer = observer;
        _session.Start(Parameters());
        _peer.SendTo(Packet(8, 1, 160, ALawFrame(900)), _session.LocalEndPoint);
        Thread.Sleep(120);

        // No receive loop took it: the tick does, then plays it in the same frame.
        Assert.Equal(0, _session.Statistics.PacketsReceived);
        _time.Advance(Frame);
        long tick = _time.GetTimestamp();

        Assert.Equal(1, _session.Statistics.PacketsReceived);
        Assert.Equal([(ALaw.Decode(ALaw.Encode(900)), false)], sink.Frames);
        // The manual clock stood still while the datagram waited 120 ms in the socket: its arrival is that much earlier.
        long waited = tick - Assert.Single(observer.Arrivals);
        Assert.InRange(waited * 1000 / _time.TimestampFrequency, 119, 5000);
    }

    [Fact]
    public async Task Without_recvmmsg_an_empty_datagram_does_not_hold_up_the_packets_behind_it()
    {
        var sink = new RecordingSink();
        await using PhoneRtpSession session = PhoneRtpSession.Open(TestEnvironment.TestIp, null, _time, null, batchReceive: false);
        session.AudioSink = sink;
        session.Start(Parameters());
        _peer.SendTo([], session.LocalEndPoint);
        _peer.SendTo(Packet(8, 1, 160, ALawFrame(900)), session.LocalEndPoint);
        Thread.Sleep(50);

        _time.Advance(Frame);

        // The empty one is not RTP (ignored); the packet behind it is taken by the same tick and played.
        Assert.Equal((1L, 1L), (session.Statistics.PacketsReceived, session.Statistics.PacketsIgnored));
        Assert.Equal([(ALaw.Decode(ALaw.Encode(900)), false)], sink.Frames);
    }

    [Fact]
    public async Task Received_packets_play_in_sequence_order_and_gaps_are_concealed_with_silence()
    {
        var sink = new RecordingSink();
        _session.AudioSink = sink;
        _session.Start(Parameters());
        foreach (ushort seq in new ushort[] { 100, 102, 101, 103 })
        {
            _peer.SendTo(Packet(8, seq, (uint)(seq * 160), ALawFrame(Level(seq))), _session.LocalEndPoint);
        }

        await WaitForReceivedAsync(4);
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(Frame);
        }

        Assert.Equal([Heard(100), Heard(101), Heard(102), Heard(103), 0, 0], sink.Frames.Select(f => f.Level));
        Assert.Equal([false, false, false, false, true, true], sink.Frames.Select(f => f.Concealed));
        Assert.Equal(2, _session.Statistics.FramesConcealed);
    }

    private static short Level(ushort seq) => (short)((seq - 99) * 2000);

    /// <summary>The level after A-law coding.</summary>
    private static double Heard(ushort seq) => ALaw.Decode(ALaw.Encode(Level(seq)));

    [Fact]
    public async Task A_lost_packet_is_silence_and_the_next_one_plays_after_the_jitter_wait()
    {
        var sink = new RecordingSink();
        _session.AudioSink = sink;
        _session.Start(Parameters());
        _peer.SendTo(Packet(8, 10, 1600, ALawFrame(500)), _session.LocalEndPoint);
        await WaitForReceivedAsync(1);
        _time.Advance(Frame);
        _peer.SendTo(Packet(8, 12, 1920, ALawFrame(700)), _session.LocalEndPoint);
        await WaitForReceivedAsync(2);

        for (int i = 0; i < 3; i++)
        {
            _time.Advance(Frame);
        }

        // 10 plays; 11 is waited for 40 ms after 12 arrived (one concealed frame), then 12 plays; then nothing is left.
        Assert.Equal([false, true, false, true], sink.Frames.Select(f => f.Concealed));
        Assert.Equal(ALaw.Decode(ALaw.Encode(500)), sink.Frames[0].Level);
        Assert.Equal(ALaw.Decode(ALaw.Encode(700)), sink.Frames[2].Level);
        Assert.Equal(1, _session.Statistics.PacketsLost);
    }

    [Fact]
    public async Task Telephone_events_become_digits_reported_once()
    {
        var digits = new List<DtmfDigit>();
        _session.DigitReceived += d =>
        {
            lock (digits)
            {
                digits.Add(d);
            }
        };
        _session.Start(Parameters());
        ushort seq = 1;
        foreach (byte code in new byte[] { 4, 11 })
        {
            uint ts = 8000u * code;
            var payload = new byte[4];
            for (int i = 1; i <= 3; i++)
            {
                new TelephoneEvent(code, false, 10, (ushort)(160 * i)).WriteTo(payload);
                _peer.SendTo(Packet(101, seq++, ts, payload, marker: i == 1), _session.LocalEndPoint);
            }

            for (int i = 0; i < 3; i++)
            {
                new TelephoneEvent(code, true, 10, 640).WriteTo(payload);
                _peer.SendTo(Packet(101, seq++, ts, payload), _session.LocalEndPoint);
            }
        }

        await WaitForReceivedAsync(12);

        lock (digits)
        {
            Assert.Equal("4#", new string(digits.Select(d => d.Digit).ToArray()));
            Assert.All(digits, d => Assert.Equal(TimeSpan.FromMilliseconds(80), d.Duration));
        }

        Assert.Equal(4, _session.Statistics.DtmfDuplicates);
    }

    [Fact]
    public async Task Sent_digits_are_rfc_4733_packets_that_decode_back_and_pause_the_audio()
    {
        _session.AudioSource = new ConstantSource(300);
        _session.Start(Parameters());
        _session.SendDigits("5#");
        Task sent = _session.WhenDigitsSent;

        var received = new List<(byte PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc, byte[] Payload)>();
        for (int i = 0; i < 20; i++)
        {
            _time.Advance(Frame);
            received.Add(Rtp(ReceiveAt(_peer)));
        }

        await sent.WaitAsync(TimeSpan.FromSeconds(5));
        var receiver = new DtmfReceiver(_time);
        var output = new DtmfDigit[2];
        var digits = new List<char>();
        foreach (var p in received.Where(p => p.PayloadType == 101))
        {
            int n = receiver.OnPacket(p.Payload, p.Timestamp, p.Marker, _time.GetTimestamp(), output);
            digits.AddRange(output.Take(n).Select(d => d.Digit));
        }

        Assert.Equal("5#", new string([.. digits]));
        // 100 ms tone: 4 updates + 3 ends = 7 event packets per digit, 2 audio frames between digits.
        Assert.Equal(14, received.Count(p => p.PayloadType == 101));
        Assert.Equal([101, 101, 101, 101, 101, 101, 101, 8, 8, 101], received.Take(10).Select(p => (int)p.PayloadType));
        Assert.Equal(Enumerable.Repeat(1, 19), received.Zip(received.Skip(1), (a, b) => (int)(ushort)(b.Sequence - a.Sequence)));
        Assert.Equal(2, _session.Statistics.DigitsSent);
    }

    [Fact]
    public void Hold_stops_sending_and_resume_starts_a_marked_talkspurt()
    {
        _session.Start(Parameters());
        _time.Advance(Frame);
        var first = Rtp(ReceiveAt(_peer));

        _session.Update(Parameters(SdpDirection.RecvOnly));
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(Frame);
        }

        Assert.True(NothingMoreAt(_peer));
        _session.Update(Parameters());
        _time.Advance(Frame);
        var resumed = Rtp(ReceiveAt(_peer));

        Assert.True(resumed.Marker);
        Assert.Equal((ushort)(first.Sequence + 1), resumed.Sequence);
        Assert.Equal(first.Timestamp + (6 * 160u), resumed.Timestamp);
    }

    [Fact]
    public void Sip_info_dtmf_is_reported_like_rfc_4733()
    {
        DtmfDigit? got = null;
        _session.DigitReceived += d => got = d;

        Assert.True(_session.ReportSipInfo("application/dtmf-relay", "Signal=9\r\nDuration=200\r\n"u8, out _));
        Assert.Equal(new DtmfDigit('9', TimeSpan.FromMilliseconds(200), DtmfSource.SipInfo), got);
        Assert.False(_session.ReportSipInfo("text/plain", "9"u8, out SipInfoDtmfError error));
        Assert.Equal(SipInfoDtmfError.UnsupportedContentType, error);
    }

    [Fact]
    public async Task The_timer_path_allocates_nothing_per_frame()
    {
        var sink = new RecordingSink(keep: false);
        _session.AudioSink = sink;
        _session.AudioSource = new ConstantSource(800);
        _session.Start(Parameters());
        byte[][] packets = [.. Enumerable.Range(0, 70).Select(seq => Packet(8, (ushort)seq, (uint)seq * 160u, ALawFrame(100)))];
        for (int seq = 0; seq < 30; seq++)
        {
            _peer.SendTo(packets[seq], _session.LocalEndPoint);
        }

        await WaitForReceivedAsync(30);
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(Frame);
        }

        // Each measured tick also takes one packet from the socket: the receive path is measured with the rest.
        SocketAddress to = _session.LocalEndPoint.Serialize();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 40; i++)
        {
            _peer.SendTo(packets[30 + i], SocketFlags.None, to);
            _time.Advance(Frame);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(50, sink.Count);
        await WaitForReceivedAsync(70);
    }

    [Fact]
    public async Task A_burst_is_played_with_bounded_delay_by_dropping_the_oldest_audio()
    {
        var sink = new RecordingSink();
        _session.AudioSink = sink;
        _session.Start(Parameters());
        for (ushort seq = 0; seq < 12; seq++)
        {
            _peer.SendTo(Packet(8, seq, seq * 160u, ALawFrame(Level((ushort)(seq + 99)))), _session.LocalEndPoint);
        }

        await WaitForReceivedAsync(12);
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(Frame);
        }

        // The first tick decodes the whole burst (12 frames); one plays, ten (200 ms) may wait, one is dropped.
        Assert.Equal([Heard(99), Heard(101), Heard(102), Heard(103), Heard(104), Heard(105)], sink.Frames.Select(f => f.Level));
        Assert.Equal(160, _session.Statistics.SamplesDropped);
    }

    [Fact]
    public void Fuzz_100000_random_and_mutated_datagrams_never_throw_and_only_dtmf_keys_come_out()
    {
        var digits = new List<DtmfDigit>();
        _session.DigitReceived += digits.Add;
        _session.Start(Parameters());
        var random = new Random(3550);
        byte[] audio = Packet(8, 1, 160, ALawFrame(100));
        var eventPayload = new byte[4];
        new TelephoneEvent(5, true, 10, 800).WriteTo(eventPayload);
        byte[] dtmf = Packet(101, 2, 320, eventPayload, marker: true);
        var buffer = new byte[200];
        for (int i = 0; i < 100_000; i++)
        {
            int length;
            switch (i % 3)
            {
                case 0:
                    length = random.Next(buffer.Length + 1);
                    random.NextBytes(buffer.AsSpan(0, length));
                    break;
                default:
                    byte[] seed = i % 3 == 1 ? audio : dtmf;
                    seed.CopyTo(buffer, 0);
                    length = seed.Length;
                    for (int m = random.Next(1, 4); m > 0; m--)
                    {
                        buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    }

                    length = random.Next(length + 1);
                    break;
            }

            _session.OnDatagram(buffer.AsSpan(0, length));
            if (i % 1000 == 0)
            {
                _time.Advance(Frame);
            }
        }

        PhoneRtpStatistics stats = _session.Statistics;
        Assert.True(stats.PacketsIgnored > 0 && stats.PacketsReceived > 0, stats.ToString());
        Assert.All(digits, d => Assert.Contains(d.Digit, "0123456789*#ABCD"));
    }

    private sealed class ArrivalObserver : IPhoneRtpObserver
    {
        public List<long> Arrivals { get; } = [];

        public void OnRtpReceived(ReadOnlySpan<byte> datagram, long timestamp) => Arrivals.Add(timestamp);

        public void OnRtpSent(ReadOnlySpan<byte> packet, long timestamp)
        {
        }
    }

    private sealed class ConstantSource(short level) : IPhoneAudioSource
    {
        public int Reads { get; private set; }

        public int Read(Span<short> frame8k)
        {
            Reads++;
            frame8k.Fill(level);
            return frame8k.Length;
        }
    }

    private sealed class RecordingSink(bool keep = true) : IPhoneAudioSink
    {
        public List<(double Level, bool Concealed)> Frames { get; } = [];

        public int Count { get; private set; }

        public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
        {
            Count++;
            if (keep)
            {
                double sum = 0;
                foreach (short s in frame8k)
                {
                    sum += s;
                }

                Frames.Add((sum / frame8k.Length, concealed));
            }
        }
    }
}
