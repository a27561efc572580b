using BenchmarkDotNet.Attributes;
using Callbridge.Audio.G711;
using Callbridge.Audio.Mixing;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// The stages of <see cref="BridgedCallBenchmarks"/> one by one, with the settings PhoneConferenceAudio
/// uses, to show where a bridged call's CPU goes. Same G.711 baseline.
/// </summary>
[MemoryDiagnoser]
public class BridgedCallStageBenchmarks : IDisposable
{
    private readonly short[] _pcm8 = new short[160];
    private readonly short[] _pcm48 = new short[960 + 16];
    private readonly short[] _decoded = new short[5760];
    private readonly byte[] _g711 = new byte[160];
    private readonly byte[] _packet = new byte[1275];
    private SpeexResampler _up = null!;
    private SpeexResampler _down = null!;
    private OpusEncoder _encoder = null!;
    private OpusDecoder _decoder = null!;
    private NMinusOneMixer _mixer = null!;
    private byte[] _conferencePacket = null!;
    private short[] _speech48 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var defaults = new PhoneConferenceAudioOptions();
        ReadOnlySpan<short> speech = PhonePrompts.LoadDefault()[PhonePrompt.E2eeRefused].Span;
        speech.Slice(8000, 160).CopyTo(_pcm8);
        ALaw.Encode(_pcm8, _g711);
        _up = new SpeexResampler(1, 8000, 48000, defaults.ResamplerQuality);
        _down = new SpeexResampler(1, 48000, 8000, defaults.ResamplerQuality);
        _encoder = new OpusEncoder(48000, 1, OpusApplication.Voip)
        {
            Bitrate = defaults.OpusBitrate,
            Complexity = defaults.OpusComplexity,
            MaxBandwidth = defaults.OpusMaxBandwidth,
        };
        _decoder = new OpusDecoder();
        _mixer = new NMinusOneMixer(defaults.MaxTracks + 1, 960);
        _speech48 = new short[960 + 16];
        _up.Process(_pcm8, _speech48, out _, out _);
        _up.Process(_pcm8, _speech48, out _, out _);
        // A conference track as browsers send it: fullband Opus at libopus' defaults.
        using var browser = new OpusEncoder();
        int length = browser.Encode(_speech48.AsSpan(0, 960), _packet);
        _conferencePacket = _packet[..length];
    }

    [Benchmark(Baseline = true, Description = "G.711 decode + encode")]
    public byte G711()
    {
        ALaw.Decode(_g711, _pcm8);
        ALaw.Encode(_pcm8, _g711);
        return _g711[0];
    }

    [Benchmark(Description = "resample 8 -> 48 kHz")]
    public int ResampleUp()
    {
        _up.Process(_pcm8, _pcm48, out _, out int written);
        return written;
    }

    [Benchmark(Description = "Opus encode 20 ms (caller)")]
    public int OpusEncode()
    {
        _encoder.TryEncode(_speech48.AsSpan(0, 960), _packet, out int written);
        return written;
    }

    [Benchmark(Description = "Opus decode 20 ms (one track)")]
    public int OpusDecode()
    {
        _decoder.TryDecode(_conferencePacket, _decoded, out int samples);
        return samples;
    }

    [Benchmark(Description = "N-1 mix, 3 tracks + caller")]
    public short Mix()
    {
        for (int slot = 0; slot < 4; slot++)
        {
            _mixer.SetActive(slot, true);
        }

        _mixer.Mix();
        _mixer.WriteMixFor(0, _pcm48);
        return _pcm48[0];
    }

    [Benchmark(Description = "resample 48 -> 8 kHz")]
    public int ResampleDown()
    {
        _down.Process(_speech48.AsSpan(0, 960), _pcm8, out _, out int written);
        return written;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _up?.Dispose();
        _down?.Dispose();
        _encoder?.Dispose();
        _decoder?.Dispose();
        GC.SuppressFinalize(this);
    }
}
