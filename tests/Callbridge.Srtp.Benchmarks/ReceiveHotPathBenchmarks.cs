using BenchmarkDotNet.Attributes;
using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.Srtp.Benchmarks;

/// <summary>
/// The media core's whole receive hot path per packet, SRTP unprotect + RTP parse + jitter buffer +
/// depacketize, next to a bare srtp_unprotect loop over the same packets (the baseline). The goal is a
/// ratio of at least 0.7 of the bare loop's packets per second, with no allocation.
/// Ring handling is as in <see cref="SrtpUnprotectBenchmarks"/>: each invocation unprotects a packet
/// never seen before, protected in <see cref="IterationSetup"/> with the next sequence number.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(RingSize)]
public class ReceiveHotPathBenchmarks
{
    public const int RingSize = 16_384;

    private byte[][] _ring = [];
    private int[] _lengths = [];
    private SrtpSession? _sender;
    private SrtpSession? _receiver;
    private OpusPacketizer? _opusPacketizer;
    private Vp8Packetizer? _vp8Packetizer;
    private JitterBuffer? _jitter;
    private OpusDepacketizer? _opus;
    private Vp8Depacketizer? _vp8;
    private readonly byte[] _frame = new byte[1500];
    private readonly byte[] _scratch = new byte[1500];
    private int _next;
    private uint _frameIndex;
    private long _failures;

    /// <summary>Opus: 20 ms audio packets (~100 B); VP8: 1,200-byte video packets.</summary>
    [Params("opus", "vp8")]
    public string Codec { get; set; } = "opus";

    [GlobalSetup]
    public void GlobalSetup()
    {
        byte[] key = new byte[SrtpProfileInfo.MasterKeyLength(SrtpProfile.AeadAes128Gcm)];
        byte[] salt = new byte[SrtpProfileInfo.MasterSaltLength(SrtpProfile.AeadAes128Gcm)];
        new Random(3711).NextBytes(key);
        new Random(5764).NextBytes(salt);
        // GCM is what the bot offers first (the cheaper profile on this CPU, see SrtpUnprotectBenchmarks).
        _sender = SrtpSession.Create(SrtpProfile.AeadAes128Gcm, SrtpDirection.Outbound, key, salt);
        _receiver = SrtpSession.Create(SrtpProfile.AeadAes128Gcm, SrtpDirection.Inbound, key, salt);
        _opusPacketizer = new OpusPacketizer(0x1111, 111, 0, 0);
        _vp8Packetizer = new Vp8Packetizer(0x2222, 96, 0, 0, 1200);
        _jitter = new JitterBuffer(new JitterBufferOptions(), TimeProvider.System);
        _opus = new OpusDepacketizer();
        _vp8 = new Vp8Depacketizer();
        _ring = new byte[RingSize][];
        _lengths = new int[RingSize];
        for (int i = 0; i < RingSize; i++) _ring[i] = new byte[1500];
        Refill();
    }

    [IterationSetup]
    public void IterationSetup()
    {
        if (_next != 0) Refill();
    }

    [Benchmark(Baseline = true)]
    public unsafe int BareSrtpUnprotect()
    {
        int i = _next++ & (RingSize - 1);
        int length = _lengths[i];
        int status;
        fixed (byte* p = _ring[i])
        {
            status = BareLibSrtp.Unprotect(_receiver!.Handle.DangerousGetHandle(), p, &length);
        }
        if (status != 0) _failures++;
        return length;
    }

    [Benchmark]
    public int ReceivePath()
    {
        int i = _next++ & (RingSize - 1);
        if (_receiver!.Unprotect(_ring[i].AsSpan(0, _lengths[i]), out int length) != SrtpStatus.Ok)
        {
            _failures++;
            return 0;
        }
        ReadOnlySpan<byte> packet = _ring[i].AsSpan(0, length);
        if (RtpPacket.TryParse(packet, out _, out _) != RtpParseError.None) return 0;
        _jitter!.Insert(packet);
        int frames = 0;
        while (_jitter.TryRelease(out var released))
        {
            RtpPacket.TryParse(released.Data, out var rtp, out _);
            DepacketizeResult result = Codec == "opus" ? _opus!.Depacketize(rtp, _frame, out _) : _vp8!.Push(rtp);
            if (result == DepacketizeResult.Frame) frames++;
        }
        return frames;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        _jitter?.Dispose();
        _vp8?.Dispose();
        if (_failures != 0) throw new InvalidOperationException($"{_failures} packets failed to unprotect: the measurement is not of the real path.");
    }

    /// <summary>Packetizes the next packets (sequence numbers keep increasing across refills) and protects them.</summary>
    private void Refill()
    {
        for (int i = 0; i < RingSize;)
        {
            if (Codec == "opus")
            {
                _scratch[0] = 0xFC; // TOC: CELT full-band 20 ms, one frame
                int n = _opusPacketizer!.Packetize(_scratch.AsSpan(0, 100), _ring[i]);
                Protect(i++, n);
                continue;
            }
            // VP8: a key frame every 64 frames, 3 kB frames in 1,200-byte packets.
            var frame = new byte[3000];
            frame[0] = (byte)(_frameIndex % 64 == 0 ? 0x00 : 0x01);
            var packets = _vp8Packetizer!.BeginFrame(frame, _frameIndex++ * 3000);
            while (i < RingSize && packets.TryWriteNext(_ring[i], out int written)) Protect(i++, written);
        }
        _next = 0;
    }

    private void Protect(int i, int length)
    {
        if (_sender!.Protect(_ring[i], length, out _lengths[i]) != SrtpStatus.Ok)
            throw new InvalidOperationException("protect failed while preparing the ring");
    }
}
