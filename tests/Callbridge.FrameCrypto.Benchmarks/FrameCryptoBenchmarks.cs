using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.SFrame;

namespace Callbridge.FrameCrypto.Benchmarks;

/// <summary>
/// Per-frame encrypt and decrypt for an Opus-sized (80 B) and an MTU-sized (1,200 B) frame, against bare
/// .NET AesGcm on the same data as the baseline: the payload, and as AAD the 3-byte clear prefix a JFrame
/// VP8 delta frame authenticates (OpenSSL's AAD pass is a fixed per-call cost, visible at 80 bytes).
/// The NoAad rows show bare AesGcm without AAD for reference.
/// </summary>
[MemoryDiagnoser]
public class FrameCryptoBenchmarks
{
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private byte[] _plain = [];
    private byte[] _output = [];
    private byte[] _bareCiphertext = [];
    private byte[] _jframe = [];
    private byte[] _sframeGcm = [];
    private byte[] _sframeCtr = [];
    private AesGcm _bare = null!;
    private JFrameContext _jframeContext = null!;
    private SFrameContext _gcmContext = null!;
    private SFrameContext _ctrContext = null!;
    private JFrameSender _sender = null!;
    private JFrameReceivers<uint> _receivers = null!;
    private byte[] _senderFrame = [];

    [Params(80, 1200)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var material = new byte[32];
        RandomNumberGenerator.Fill(material);
        _plain = new byte[FrameSize];
        RandomNumberGenerator.Fill(_plain);
        _output = new byte[FrameSize + 64];

        _bare = new AesGcm(material.AsSpan(0, 16), 16);
        _bareCiphertext = new byte[FrameSize];
        _plain.AsSpan(0, 3).CopyTo(_bareCiphertext);
        _bare.Encrypt(_nonce, _plain.AsSpan(3), _bareCiphertext.AsSpan(3), _tag, _plain.AsSpan(0, 3));

        _jframeContext = new JFrameContext(initialSendCounter: () => 0);
        _jframeContext.SetKey(material, 0);
        _jframe = new byte[FrameSize + JFrameContext.Overhead];
        _jframeContext.Encrypt(JFrameKind.VideoDelta, 1, 1, _plain, _jframe, out _);

        // The publishing bot's transform and the per-sender receive rings (audio kind: 1 clear byte).
        _sender = new JFrameSender(initialSendCounter: () => 0);
        _sender.SetKey(material, 0);
        _receivers = new JFrameReceivers<uint>();
        _receivers.SetKey(material, 0);
        _senderFrame = new byte[FrameSize + JFrameSender.MaxOverhead];
        _sender.Transform(_plain, 1, 1, _senderFrame);

        _gcmContext = new SFrameContext(SFrameCipherSuite.AesGcm128Sha256_128);
        _gcmContext.SetKey(1, material);
        _sframeGcm = new byte[_gcmContext.GetCiphertextLength(1, 1000, FrameSize)];
        _gcmContext.Encrypt(1, 1000, default, _plain, _sframeGcm, out _);

        _ctrContext = new SFrameContext(SFrameCipherSuite.AesCtr128HmacSha256_80);
        _ctrContext.SetKey(1, material);
        _sframeCtr = new byte[_ctrContext.GetCiphertextLength(1, 1000, FrameSize)];
        _ctrContext.Encrypt(1, 1000, default, _plain, _sframeCtr, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _jframeContext.Dispose();
        _sender.Dispose();
        _receivers.Dispose();
        _gcmContext.Dispose();
        _ctrContext.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BareAesGcmEncrypt() => _bare.Encrypt(_nonce, _plain.AsSpan(3), _output.AsSpan(3, FrameSize - 3), _tag, _plain.AsSpan(0, 3));

    [Benchmark]
    public void BareAesGcmDecrypt() => _bare.Decrypt(_nonce, _bareCiphertext.AsSpan(3), _tag, _output.AsSpan(3, FrameSize - 3), _bareCiphertext.AsSpan(0, 3));

    [Benchmark]
    public void BareAesGcmEncryptNoAad() => _bare.Encrypt(_nonce, _plain, _output.AsSpan(0, FrameSize), _tag);

    [Benchmark]
    public int JFrameEncrypt()
    {
        _jframeContext.Encrypt(JFrameKind.VideoDelta, 1, 1, _plain, _output, out int written);
        return written;
    }

    [Benchmark]
    public int JFrameDecrypt() => _jframeContext.Decrypt(JFrameKind.VideoDelta, _jframe, _output).BytesWritten;

    [Benchmark]
    public int JFrameSenderTransform() => _sender.Transform(_plain, 1, 1, _output);

    [Benchmark]
    public int JFrameReceiversDecrypt() => _receivers.Decrypt(1, JFrameKind.Audio, _senderFrame, _output).BytesWritten;

    [Benchmark]
    public int SFrameGcmEncrypt()
    {
        _gcmContext.Encrypt(1, 1000, default, _plain, _output, out int written);
        return written;
    }

    [Benchmark]
    public int SFrameGcmDecrypt()
    {
        _gcmContext.Decrypt(_sframeGcm, default, _output, out int written, out _);
        return written;
    }

    [Benchmark]
    public int SFrameCtrHmac80Encrypt()
    {
        _ctrContext.Encrypt(1, 1000, default, _plain, _output, out int written);
        return written;
    }

    [Benchmark]
    public int SFrameCtrHmac80Decrypt()
    {
        _ctrContext.Decrypt(_sframeCtr, default, _output, out int written, out _);
        return written;
    }
}
