using BenchmarkDotNet.Attributes;
using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.Media.Benchmarks;

/// <summary>
/// Receive hot path without SRTP, per packet: RTP parse -> jitter buffer insert/release -> depacketize,
/// for Opus and VP8, against a bare RTP header parse as the baseline. Every packet arrives in order
/// except one adjacent pair swapped per 16, so the jitter buffer reorders.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ReceivePathBenchmarks
{
    private const int PacketCount = 1024;

    private byte[][] _opus = [];
    private byte[][] _vp8 = [];
    private JitterBuffer _opusJitter = null!;
    private JitterBuffer _vp8Jitter = null!;
    private OpusDepacketizer _opusDepacketizer = null!;
    private Vp8Depacketizer _vp8Depacketizer = null!;
    private byte[] _frame = [];
    private ushort _opusBase;
    private ushort _vp8Base;

    [GlobalSetup]
    public void Setup()
    {
        var opusPacketizer = new OpusPacketizer(0x1111, 111, 0, 0);
        var opusFrame = new byte[80];
        opusFrame[0] = 0xFC; // CELT full-band 20 ms
        _opus = new byte[PacketCount][];
        var buffer = new byte[1500];
        for (int i = 0; i < PacketCount; i++)
        {
            int n = opusPacketizer.Packetize(opusFrame, buffer);
            _opus[i] = buffer[..n];
        }

        // VP8: a 12 kB key frame then 3 kB delta frames, 1200-byte packets, until PacketCount packets.
        var vp8Packetizer = new Vp8Packetizer(0x2222, 96, 0, 0, 1200);
        var packets = new List<byte[]>();
        for (int f = 0; packets.Count < PacketCount; f++)
        {
            var frame = new byte[f == 0 ? 12000 : 3000];
            frame[0] = (byte)(f == 0 ? 0x00 : 0x01);
            var it = vp8Packetizer.BeginFrame(frame, (uint)(f * 3000));
            while (it.TryWriteNext(buffer, out int written))
            {
                packets.Add(buffer[..written]);
            }
        }

        // Trim to whole frames so each pass ends on a marker.
        int last = packets.Count - 1;
        while (!RtpPacket.TryParse(packets[last], out var p, out _).Equals(RtpParseError.None) || !p.Marker)
        {
            last--;
        }

        _vp8 = packets.Take(last + 1).ToArray();
        SwapPairs(_opus);
        SwapPairs(_vp8);

        _opusJitter = new JitterBuffer(new JitterBufferOptions(), TimeProvider.System);
        _vp8Jitter = new JitterBuffer(new JitterBufferOptions(), TimeProvider.System);
        _opusDepacketizer = new OpusDepacketizer();
        _vp8Depacketizer = new Vp8Depacketizer();
        _frame = new byte[1500];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _opusJitter.Dispose();
        _vp8Jitter.Dispose();
        _vp8Depacketizer.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PacketCount)]
    public int RtpHeaderParse()
    {
        int sum = 0;
        foreach (var packet in _opus)
        {
            if (RtpPacket.TryParse(packet, out var rtp, out _) == RtpParseError.None)
            {
                sum += rtp.SequenceNumber;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = PacketCount)]
    public int OpusReceivePath()
    {
        Resequence(_opus, ref _opusBase);
        int frames = 0;
        foreach (var packet in _opus)
        {
            if (RtpPacket.TryParse(packet, out _, out _) != RtpParseError.None)
            {
                continue;
            }

            _opusJitter.Insert(packet);
            while (_opusJitter.TryRelease(out var released))
            {
                RtpPacket.TryParse(released.Data, out var rtp, out _);
                if (_opusDepacketizer.Depacketize(rtp, _frame, out _) == DepacketizeResult.Frame)
                {
                    frames++;
                }
            }
        }

        return frames;
    }

    [Benchmark(OperationsPerInvoke = PacketCount)]
    public int Vp8ReceivePath()
    {
        Resequence(_vp8, ref _vp8Base);
        int frames = 0;
        foreach (var packet in _vp8)
        {
            if (RtpPacket.TryParse(packet, out _, out _) != RtpParseError.None)
            {
                continue;
            }

            _vp8Jitter.Insert(packet);
            while (_vp8Jitter.TryRelease(out var released))
            {
                RtpPacket.TryParse(released.Data, out var rtp, out _);
                if (_vp8Depacketizer.Push(rtp) == DepacketizeResult.Frame)
                {
                    frames += _vp8Depacketizer.Frame.Length > 0 ? 1 : 0;
                }
            }
        }

        return frames;
    }

    /// <summary>Continues the sequence numbers from the previous pass (2 byte writes per packet).</summary>
    private static void Resequence(byte[][] packets, ref ushort nextBase)
    {
        ushort first = nextBase;
        for (int i = 0; i < packets.Length; i++)
        {
            // Pairs were swapped in setup: keep each packet's offset within the pass.
            int offset = (i & 15) == 14 ? i + 1 : (i & 15) == 15 ? i - 1 : i;
            ushort seq = (ushort)(first + offset);
            packets[i][2] = (byte)(seq >> 8);
            packets[i][3] = (byte)seq;
        }

        nextBase = (ushort)(first + packets.Length);
    }

    private static void SwapPairs(byte[][] packets)
    {
        for (int i = 14; i + 1 < packets.Length; i += 16)
        {
            (packets[i], packets[i + 1]) = (packets[i + 1], packets[i]);
        }
    }
}
