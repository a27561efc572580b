using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.Media.Tests;

public class Vp8Tests
{
    [Fact]
    public void DescriptorWithEveryOptionalField()
    {
        // RFC 7741 §4.2: X S PID=0 | I L T K | M + 15-bit PictureID 0x0123 | TL0PICIDX 5 | TID 2, Y, KEYIDX 3 | VP8 data.
        byte[] payload = [0x90, 0xF0, 0x81, 0x23, 0x05, 0xA3, 0x10, 0x02, 0x9D];
        Assert.Equal(Vp8ParseError.None, Vp8PayloadDescriptor.TryParse(payload, out var d, out int consumed));
        Assert.Equal(6, consumed);
        Assert.True(d.StartOfPartition);
        Assert.True(d.IsFrameStart);
        Assert.Equal(0x0123, d.PictureId);
        Assert.True(d.LongPictureId);
        Assert.Equal(5, d.Tl0PicIndex);
        Assert.Equal(2, d.TemporalLayer);
        Assert.True(d.LayerSync);
        Assert.Equal(3, d.KeyIndex);

        var written = new byte[Vp8PayloadDescriptor.MaxLength];
        Assert.Equal(6, d.WriteTo(written));
        Assert.Equal(payload[..6], written);

        for (int length = 0; length < consumed + 1; length++)
        {
            var error = Vp8PayloadDescriptor.TryParse(payload.AsSpan(0, length), out _, out _);
            var expected = length switch { 0 => Vp8ParseError.Empty, < 6 => Vp8ParseError.DescriptorTruncated, _ => Vp8ParseError.NoVp8Data };
            Assert.Equal(expected, error);
        }
    }

    [Fact]
    public void MinimalDescriptorAndShortPictureId()
    {
        Assert.Equal(Vp8ParseError.None, Vp8PayloadDescriptor.TryParse([0x01 | 0x20, 0xAA], out var d, out int consumed));
        Assert.Equal(1, consumed);
        Assert.False(d.StartOfPartition);
        Assert.True(d.NonReference);
        Assert.Equal(1, d.PartitionIndex);
        Assert.Equal(-1, d.PictureId);
        Assert.Equal(1, new Vp8PayloadDescriptor().GetSerializedLength());

        Assert.Equal(Vp8ParseError.None, Vp8PayloadDescriptor.TryParse([0x90, 0x80, 0x17, 0xAA], out var s, out consumed));
        Assert.Equal(3, consumed);
        Assert.Equal(0x17, s.PictureId);
        Assert.False(s.LongPictureId);
    }

    private static byte[] Frame(int length, bool key, byte seed)
    {
        var frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = (byte)(seed + i * 7);
        }

        // VP8 payload header (RFC 7741 §4.3): P bit (LSB of byte 0) is 0 for key frames.
        frame[0] = (byte)(key ? frame[0] & 0xFE : frame[0] | 0x01);
        return frame;
    }

    private static List<byte[]> Packetize(Vp8Packetizer packetizer, byte[] frame, uint timestamp)
    {
        var packets = new List<byte[]>();
        var buffer = new byte[1500];
        var it = packetizer.BeginFrame(frame, timestamp);
        while (it.TryWriteNext(buffer, out int written))
        {
            packets.Add(buffer[..written]);
        }

        return packets;
    }

    private static DepacketizeResult Push(Vp8Depacketizer depacketizer, byte[] packet)
    {
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(packet, out var rtp, out _));
        return depacketizer.Push(rtp);
    }

    [Fact]
    public void PacketizerSplitsAndDepacketizerReassembles()
    {
        var packetizer = new Vp8Packetizer(0xBEEF, 96, 65530, 0x7FFE, maxPacketSize: 500);
        using var depacketizer = new Vp8Depacketizer();
        var key = Frame(3000, key: true, 1);
        var packets = Packetize(packetizer, key, 90000);
        Assert.Equal(7, packets.Count); // 500 - 12 - 4 = 484 bytes each
        Assert.All(packets, p => Assert.True(p.Length <= 500));

        for (int i = 0; i < packets.Count; i++)
        {
            RtpPacket.TryParse(packets[i], out var rtp, out _);
            Assert.Equal(i == packets.Count - 1, rtp.Marker);
            Vp8PayloadDescriptor.TryParse(rtp.Payload, out var d, out _);
            Assert.Equal(i == 0, d.StartOfPartition);
            Assert.Equal(0x7FFE, d.PictureId);
            var result = Push(depacketizer, packets[i]);
            Assert.Equal(i == packets.Count - 1 ? DepacketizeResult.Frame : DepacketizeResult.Pending, result);
        }

        Assert.Equal(key, depacketizer.Frame.ToArray());
        Assert.Equal(new FrameInfo(90000, 3000, FrameFlags.KeyFrame, 7), depacketizer.LastFrame);
        Assert.False(depacketizer.NeedKeyFrame);

        var delta = Frame(700, key: false, 2);
        var deltaPackets = Packetize(packetizer, delta, 93000);
        Assert.Equal(DepacketizeResult.Pending, Push(depacketizer, deltaPackets[0]));
        Assert.Equal(DepacketizeResult.Frame, Push(depacketizer, deltaPackets[1]));
        Assert.Equal(delta, depacketizer.Frame.ToArray());
        Assert.False(depacketizer.LastFrame.IsKeyFrame);
        Assert.Equal(0x7FFF, depacketizer.LastPictureId);
        Assert.Equal(0, Packetize(packetizer, delta, 96000).Select(p => { RtpPacket.TryParse(p, out var r, out _); Vp8PayloadDescriptor.TryParse(r.Payload, out var d, out _); return d.PictureId; }).First());
    }

    [Fact]
    public void LossInsideAFrameDropsItAndWaitsForAKeyFrame()
    {
        var packetizer = new Vp8Packetizer(1, 96, 100, 0, maxPacketSize: 300);
        using var depacketizer = new Vp8Depacketizer();
        foreach (var p in Packetize(packetizer, Frame(1000, true, 1), 0))
        {
            Push(depacketizer, p);
        }

        Assert.Equal(1, depacketizer.FramesCompleted);
        var delta1 = Packetize(packetizer, Frame(1000, false, 2), 3000);
        Assert.Equal(DepacketizeResult.Pending, Push(depacketizer, delta1[0]));
        // delta1[1] lost.
        Assert.Equal(DepacketizeResult.FrameDropped, Push(depacketizer, delta1[2]));
        Assert.True(depacketizer.NeedKeyFrame);
        Assert.Equal(DepacketizeResult.Discarded, Push(depacketizer, delta1[3]));

        // A complete delta frame still cannot be decoded.
        var delta2 = Packetize(packetizer, Frame(200, false, 3), 6000);
        Assert.Equal(DepacketizeResult.FrameDropped, Push(depacketizer, delta2[0]));

        var key = Frame(600, true, 4);
        var keyPackets = Packetize(packetizer, key, 9000);
        var results = keyPackets.Select(p => Push(depacketizer, p)).ToList();
        Assert.Equal(DepacketizeResult.Frame, results[^1]);
        Assert.Equal(key, depacketizer.Frame.ToArray());
        Assert.False(depacketizer.NeedKeyFrame);
        Assert.Equal(2, depacketizer.FramesDropped);
    }

    [Fact]
    public void LostMarkerOrLostFirstPacketIsDetected()
    {
        var packetizer = new Vp8Packetizer(1, 96, 0, 0, maxPacketSize: 300);
        using var depacketizer = new Vp8Depacketizer();
        var key = Packetize(packetizer, Frame(500, true, 1), 0);
        Push(depacketizer, key[0]);
        // key[1] (marker) lost; the next frame starts.
        var next = Packetize(packetizer, Frame(100, true, 2), 3000);
        Assert.Single(next);
        // The single-packet key frame completes; the frame whose marker never came is counted as dropped.
        Assert.Equal(DepacketizeResult.Frame, Push(depacketizer, next[0]));
        Assert.Equal(1, depacketizer.FramesDropped);
        Assert.Equal(0, depacketizer.FramesCompleted - 1);
        // The key frame that followed completes and clears the request.
        Assert.False(depacketizer.NeedKeyFrame);

        // First packet of a frame lost: the rest is discarded.
        var delta = Packetize(packetizer, Frame(800, false, 3), 6000);
        Assert.Equal(DepacketizeResult.FrameDropped, Push(depacketizer, delta[1]));
        Assert.Equal(DepacketizeResult.Discarded, Push(depacketizer, delta[2]));
        Assert.True(depacketizer.NeedKeyFrame);
    }

    [Fact]
    public void DeltaFramesBeforeTheFirstKeyFrameAreDropped()
    {
        var packetizer = new Vp8Packetizer(1, 96, 0, 0);
        using var depacketizer = new Vp8Depacketizer();
        var delta = Packetize(packetizer, Frame(100, false, 1), 0);
        Assert.Equal(DepacketizeResult.FrameDropped, Push(depacketizer, delta[0]));
        Assert.True(depacketizer.NeedKeyFrame);
    }

    [Fact]
    public void OversizedFrameAndMalformedPayloadAreTyped()
    {
        var packetizer = new Vp8Packetizer(1, 96, 0, 0, maxPacketSize: 200);
        using var depacketizer = new Vp8Depacketizer(maxFrameSize: 300);
        var results = Packetize(packetizer, Frame(1000, true, 1), 0).Select(p => Push(depacketizer, p)).ToList();
        Assert.Contains(DepacketizeResult.FrameTooLarge, results);
        Assert.DoesNotContain(DepacketizeResult.Frame, results);
        Assert.Equal(DepacketizeResult.Invalid, Push(depacketizer, Packets.Rtp(50, 1, payload: [0x80])));
    }

    [Fact]
    public void RandomPayloadsYieldOnlyTypedResults()
    {
        var random = new Random(7741);
        using var depacketizer = new Vp8Depacketizer(maxFrameSize: 4096);
        var payload = new byte[64];
        var packet = new byte[128];
        ushort seq = 0;
        uint ts = 0;
        var seen = new HashSet<DepacketizeResult>();
        for (int i = 0; i < 100_000; i++)
        {
            int length = random.Next(0, payload.Length);
            random.NextBytes(payload.AsSpan(0, length));
            if (random.Next(8) == 0)
            {
                ts += 3000;
            }

            seq += (ushort)(random.Next(10) == 0 ? 2 : 1);
            var rtp = new RtpPacket { SequenceNumber = seq, Timestamp = ts, Marker = random.Next(4) == 0, Payload = payload.AsSpan(0, length) };
            int n = rtp.WriteTo(packet);
            RtpPacket.TryParse(packet.AsSpan(0, n), out var parsed, out _);
            var result = depacketizer.Push(parsed);
            Assert.True(Enum.IsDefined(result));
            seen.Add(result);
            if (result == DepacketizeResult.Frame)
            {
                Assert.Equal(depacketizer.LastFrame.Length, depacketizer.Frame.Length);
            }
        }

        Assert.Contains(DepacketizeResult.Frame, seen);
        Assert.Contains(DepacketizeResult.FrameDropped, seen);
        Assert.Contains(DepacketizeResult.Invalid, seen);
    }

    [Fact]
    public void ReceivePathAllocatesNothingPerPacket()
    {
        var packetizer = new Vp8Packetizer(1, 96, 0, 0, maxPacketSize: 1200);
        using var depacketizer = new Vp8Depacketizer();
        var time = new ManualTimeProvider();
        using var jitter = new JitterBuffer(new JitterBufferOptions(), time);
        var frames = new List<byte[]>();
        for (int f = 0; f < 100; f++)
        {
            frames.AddRange(Packetize(packetizer, Frame(f % 30 == 0 ? 5000 : 1500, f % 30 == 0, (byte)f), (uint)(f * 3000)));
        }

        int completed = 0;
        void Run()
        {
            foreach (var p in frames)
            {
                jitter.Insert(p);
                while (jitter.TryRelease(out var released))
                {
                    RtpPacket.TryParse(released.Data, out var rtp, out _);
                    if (depacketizer.Push(rtp) == DepacketizeResult.Frame)
                    {
                        completed++;
                    }
                }
            }
        }

        Run();
        Assert.Equal(100, completed);
        // Re-sequence the same packets to continue the stream.
        for (int i = 0; i < frames.Count; i++)
        {
            ushort seq = (ushort)(Packets.Seq(frames[i]) + frames.Count);
            frames[i][2] = (byte)(seq >> 8);
            frames[i][3] = (byte)seq;
            uint ts = (uint)((frames[i][4] << 24 | frames[i][5] << 16 | frames[i][6] << 8 | frames[i][7]) + 300000);
            frames[i][4] = (byte)(ts >> 24);
            frames[i][5] = (byte)(ts >> 16);
            frames[i][6] = (byte)(ts >> 8);
            frames[i][7] = (byte)ts;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(200, completed);
    }
}
