using BenchmarkDotNet.Attributes;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// Cost per 20 ms frame of turning a received Opus packet into recognizer input (16 kHz) or a phone
/// leg (8 kHz). Baseline: decode alone.
/// </summary>
[MemoryDiagnoser]
public class OpusDecodeResampleBenchmarks
{
    private readonly short[] _pcm48 = new short[960];
    private readonly short[] _pcm16 = new short[400];
    private readonly short[] _pcm8 = new short[200];
    private List<byte[]> _packets = [];
    private OpusDecoder _decoder = null!;
    private SpeexResampler _to16k = null!;
    private SpeexResampler _to8k = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        // Speech from flite, upsampled to 48 kHz and encoded as a WebRTC sender would (20 ms, VoIP).
        short[] speech16 = SentenceAudio.Synthesize("slt", count: 3).SelectMany(s => s).ToArray();
        using var up = new SpeexResampler(1, 16000, 48000);
        short[] speech48 = new short[up.GetMaxOutputLength(speech16.Length)];
        int n = up.ProcessAll(speech16, speech48);
        using var encoder = new OpusEncoder(48000, 1) { Bitrate = 32000 };
        byte[] packet = new byte[OpusEncoder.MaxPacketBytes];
        for (int offset = 0; offset + 960 <= n; offset += 960)
        {
            int len = encoder.Encode(speech48.AsSpan(offset, 960), packet);
            _packets.Add(packet[..len]);
        }

        _decoder = new OpusDecoder(48000, 1);
        _to16k = new SpeexResampler(1, 48000, 16000);
        _to8k = new SpeexResampler(1, 48000, 8000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _to16k.Dispose();
        _to8k.Dispose();
    }

    private byte[] NextPacket()
    {
        byte[] p = _packets[_next];
        _next = (_next + 1) % _packets.Count;
        return p;
    }

    [Benchmark(Baseline = true, Description = "Opus decode 20 ms")]
    public int Decode() => _decoder.Decode(NextPacket(), _pcm48);

    [Benchmark(Description = "Opus decode + resample 48k->16k")]
    public int DecodeTo16k()
    {
        int n = _decoder.Decode(NextPacket(), _pcm48);
        _to16k.Process(_pcm48.AsSpan(0, n), _pcm16, out _, out int written);
        return written;
    }

    [Benchmark(Description = "Opus decode + resample 48k->8k")]
    public int DecodeTo8k()
    {
        int n = _decoder.Decode(NextPacket(), _pcm48);
        _to8k.Process(_pcm48.AsSpan(0, n), _pcm8, out _, out int written);
        return written;
    }
}
