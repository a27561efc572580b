using BenchmarkDotNet.Attributes;
using Callbridge.Audio.Resampling;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// Cost per 20 ms frame of turning a received Opus packet into recognizer input (16 kHz) or a phone
/// leg (8 kHz). Baseline: decode alone.
/// </summary>
[MemoryDiagnoser]
public class OpusDecodeResampleBenchmarks
{
    private readonly short[] _pcm8 = new short[200];
    private OpusSpeechPackets _audio = null!;
    private SpeexResampler _to8k = null!;

    [GlobalSetup]
    public void Setup()
    {
        _audio = new OpusSpeechPackets();
        _to8k = new SpeexResampler(1, 48000, 8000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _audio.Dispose();
        _to8k.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Opus decode 20 ms")]
    public int Decode() => _audio.Decode();

    [Benchmark(Description = "Opus decode + resample 48k->16k")]
    public int DecodeTo16k() => _audio.DecodeTo16k();

    [Benchmark(Description = "Opus decode + resample 48k->8k")]
    public int DecodeTo8k()
    {
        int n = _audio.Decode();
        _to8k.Process(_audio.Pcm48[..n], _pcm8, out _, out int written);
        return written;
    }
}
