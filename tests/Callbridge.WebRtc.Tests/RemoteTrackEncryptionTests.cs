using System.Buffers.Binary;
using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.WebRtc.Tests;

/// <summary>RemoteTrack's detector wiring, fed RTP datagrams directly on a manual clock.</summary>
public sealed class RemoteTrackEncryptionTests
{
    private const uint Ssrc = 0x11223344;
    private const byte OpusPayloadType = 111;
    private const int Frames = 1200;

    [Fact]
    public void Jframe_opus_is_reported_once_with_the_time_since_the_first_frame()
    {
        byte[][] datagrams = OpusDatagrams(encrypt: true);
        var clock = new ManualClock();
        using RemoteTrack track = NewAudioTrack(clock);
        var reports = new List<(RemoteTrack Track, FrameFormat Format, TimeSpan After)>();
        long delivered = 0;

        for (int i = 0; i < 100; i++)
        {
            Feed(track, datagrams[i], (in ReceivedFrame _) => delivered++, (t, f, a) => reports.Add((t, f, a)));
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(100, delivered);
        (RemoteTrack reported, FrameFormat format, TimeSpan after) = Assert.Single(reports);
        Assert.Same(track, reported);
        Assert.Equal(FrameFormat.JFrame, format);
        // The 16th frame completes the run: 15 steps of 20 ms after the first.
        Assert.Equal(TimeSpan.FromMilliseconds(20 * (EncryptionDetector.DefaultRequiredRun - 1)), after);
        Assert.Equal(after, track.EncryptionDetectedAfter);
        Assert.Equal(FrameFormat.JFrame, track.Encryption);
        Assert.True(track.IsEncrypted);
    }

    [Fact]
    public void Clear_opus_is_judged_clear_and_never_reported()
    {
        byte[][] datagrams = OpusDatagrams(encrypt: false);
        var clock = new ManualClock();
        using RemoteTrack track = NewAudioTrack(clock);
        int reports = 0;

        foreach (byte[] datagram in datagrams)
        {
            Feed(track, datagram, null, (_, _, _) => reports++);
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(Frames, track.FramesReceived);
        Assert.Equal(0, reports);
        Assert.Null(track.EncryptionDetectedAfter);
        Assert.False(track.IsEncrypted);
        Assert.Equal(FrameFormat.Clear, track.Encryption);
    }

    [Fact]
    public void Each_jframe_frame_after_the_first_looks_encrypted_before_the_verdict()
    {
        byte[][] datagrams = OpusDatagrams(encrypt: true);
        var clock = new ManualClock();
        using RemoteTrack track = NewAudioTrack(clock);
        var marks = new List<bool>();
        for (int i = 0; i < 40; i++)
        {
            Feed(track, datagrams[i], (in ReceivedFrame f) => marks.Add(f.LooksEncrypted), null);
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        // The first frame alone proves nothing (a trailer-like ending happens to 1 clear frame in 4,096);
        // from the second on the IV's SSRC field repeats, long before the 16-frame verdict.
        Assert.Equal([false, .. Enumerable.Repeat(true, 39)], marks);
    }

    [Fact]
    public void Clear_frames_never_look_encrypted_but_a_frame_that_is_not_opus_does()
    {
        byte[][] datagrams = OpusDatagrams(encrypt: false);
        var clock = new ManualClock();
        using RemoteTrack track = NewAudioTrack(clock);
        int marked = 0;
        for (int i = 0; i < Frames - 1; i++)
        {
            Feed(track, datagrams[i], (in ReceivedFrame f) => marked += f.LooksEncrypted ? 1 : 0, null);
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(0, marked);
        Assert.Equal(FrameFormat.Clear, track.Encryption);

        // RFC 6716 §3.2.3: code 1 carries two frames of equal size, so an odd remainder (79 bytes) is malformed;
        // the TOC still gives a duration, so the depacketizer delivers it and only the codec check objects.
        byte[] last = datagrams[Frames - 1];
        Assert.Equal(12 + 80, last.Length);
        last[12] = 0xF9;
        bool? looks = null;
        Feed(track, last, (in ReceivedFrame f) => looks = f.LooksEncrypted, null);
        Assert.True(looks);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Detection_allocates_nothing_per_frame(bool encrypt)
    {
        byte[][] datagrams = OpusDatagrams(encrypt);
        var clock = new ManualClock();
        using RemoteTrack track = NewAudioTrack(clock);
        ReceivedFrameHandler onFrame = static (in ReceivedFrame _) => { };
        TrackEncryptedHandler onEncrypted = static (_, _, _) => { };

        // Warm-up: first packet (statistics), the detector's verdict and the JIT.
        for (int i = 0; i < 200; i++)
        {
            Feed(track, datagrams[i], onFrame, onEncrypted);
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 200; i < Frames; i++)
        {
            Feed(track, datagrams[i], onFrame, onEncrypted);
            clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Frames, track.FramesReceived);
        Assert.Equal(encrypt ? FrameFormat.JFrame : FrameFormat.Clear, track.Encryption);
        Assert.Equal(0, allocated);
    }

    private static RemoteTrack NewAudioTrack(TimeProvider clock) =>
        new("0", TrackKind.Audio, OpusPayloadType, 48000, [Ssrc], new JitterBufferOptions(), clock);

    private static void Feed(RemoteTrack track, byte[] datagram, ReceivedFrameHandler? onFrame, TrackEncryptedHandler? onEncrypted)
    {
        // No Assert here: the allocation test measures this path.
        if (RtpPacket.TryParse(datagram, out RtpPacket packet, out _) != RtpParseError.None)
        {
            throw new InvalidOperationException("test datagram does not parse");
        }

        track.OnRtp(packet, datagram, onFrame, onEncrypted);
    }

    /// <summary>
    /// RTP datagrams (RFC 3550 §5.1, 12-byte header) carrying 20 ms CELT Opus packets (RFC 6716 §3.1 TOC
    /// config 31, code 0), JFrame-encrypted when asked, from a fixed seed.
    /// </summary>
    private static byte[][] OpusDatagrams(bool encrypt)
    {
        var random = new Random(6716);
        using var context = new JFrameContext(initialSendCounter: () => 100);
        var material = new byte[32];
        random.NextBytes(material);
        context.SetKey(material, 2);
        var result = new byte[Frames][];
        var opus = new byte[80];
        for (int i = 0; i < Frames; i++)
        {
            uint timestamp = 960u * (uint)i;
            opus[0] = 0xF8;
            random.NextBytes(opus.AsSpan(1));
            var datagram = new byte[12 + opus.Length + JFrameContext.Overhead];
            datagram[0] = 0x80;
            datagram[1] = OpusPayloadType;
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(1000 + i));
            BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(8), Ssrc);
            int payload = opus.Length;
            if (encrypt)
            {
                Assert.Equal(JFrameEncryptStatus.Success, context.Encrypt(JFrameKind.Audio, Ssrc, timestamp, opus, datagram.AsSpan(12), out payload));
            }
            else
            {
                opus.CopyTo(datagram.AsSpan(12));
            }

            result[i] = datagram[..(12 + payload)];
        }

        return result;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.FromHours(1).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
