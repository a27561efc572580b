using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;

namespace Callbridge.Srtp.Benchmarks;

/// <summary>
/// Receive-path cost of SRTP unprotect: our <see cref="SrtpSession.Unprotect"/> against a bare P/Invoke of
/// srtp_unprotect on an identically keyed libsrtp session (the baseline).
/// The replay window rejects a packet index seen before, so every invocation needs a packet never
/// unprotected: each iteration runs exactly <see cref="RingSize"/> invocations over a ring of packets that
/// <see cref="IterationSetup"/> protected with the next, increasing sequence numbers (the rollover counter
/// advances past 65,535 as it would on a long call). Packets are unprotected in place, with no copy.
/// Every status is checked after the run: a benchmark that measured failures throws.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(RingSize)]
public class SrtpUnprotectBenchmarks
{
    public const int RingSize = 16_384;

    private byte[][] _ring = [];
    private int[] _lengths = [];
    private byte[] _plain = [];
    private SrtpSession? _sender;
    private SrtpSession? _receiver;
    private int _next;
    private uint _sequence;
    private long _failures;

    [Params(SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    /// <summary>Whole RTP packet (12-byte header + payload) before protection.</summary>
    [Params(160, 1200)]
    public int PacketSize { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        byte[] key = new byte[SrtpProfileInfo.MasterKeyLength(Profile)];
        byte[] salt = new byte[SrtpProfileInfo.MasterSaltLength(Profile)];
        new Random(3711).NextBytes(key);
        new Random(5764).NextBytes(salt);
        _sender = SrtpSession.Create(Profile, SrtpDirection.Outbound, key, salt);
        _receiver = SrtpSession.Create(Profile, SrtpDirection.Inbound, key, salt);

        _plain = new byte[PacketSize];
        _plain[0] = 0x80;
        _plain[1] = 111;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), 0x1234_5678);
        new Random(1).NextBytes(_plain.AsSpan(12));

        _ring = new byte[RingSize][];
        _lengths = new int[RingSize];
        for (int i = 0; i < RingSize; i++)
        {
            _ring[i] = new byte[PacketSize + 16];
        }

        Refill();
    }

    [IterationSetup]
    public void IterationSetup()
    {
        // Only a consumed ring is refilled, so skipped iterations never open a sequence gap past 2^15
        // (which would defeat rollover-counter estimation, RFC 3711 §3.3.1).
        if (_next != 0)
        {
            Refill();
        }
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

        if (status != 0)
        {
            _failures++;
        }

        return length;
    }

    [Benchmark]
    public int WrapperUnprotect()
    {
        int i = _next++ & (RingSize - 1);
        SrtpStatus status = _receiver!.Unprotect(_ring[i].AsSpan(0, _lengths[i]), out int length);
        if (status != SrtpStatus.Ok)
        {
            _failures++;
        }

        return length;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        if (_failures != 0)
        {
            throw new InvalidOperationException($"{_failures} unprotect calls failed: the measurement is not of successful unprotects.");
        }
    }

    private void Refill()
    {
        for (int i = 0; i < RingSize; i++)
        {
            byte[] slot = _ring[i];
            _plain.CopyTo(slot, 0);
            BinaryPrimitives.WriteUInt16BigEndian(slot.AsSpan(2), (ushort)_sequence);
            BinaryPrimitives.WriteUInt32BigEndian(slot.AsSpan(4), _sequence * 960);
            _sequence++;
            if (_sender!.Protect(slot, PacketSize, out _lengths[i]) != SrtpStatus.Ok)
            {
                throw new InvalidOperationException("protect failed while preparing the ring");
            }
        }

        _next = 0;
    }
}
