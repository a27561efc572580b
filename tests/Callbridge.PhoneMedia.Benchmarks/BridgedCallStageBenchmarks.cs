using BenchmarkDotNet.Attributes;
using Callbridge.Audio.G711;
using Callbridge.Audio.Mixing;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// The stages of <see cref="BridgedCallBenchmarks"/> one by one, with the settings PhoneConferenceAudio
/// uses, to show where a bridged call's CPU goes: everything at the phone's 8 kHz. Beside them, the same
/// stages on a 48 kHz path (resample up, code at 48 kHz, resample down), which is what the 8 kHz path saves.
/// Same G.711 baseline.
/// </summary>
[MemoryDiagnoser]
public class BridgedCallStageBenchmarks : IDisposable
{
    private const int Frame8k = PhoneConferenceAudio.FrameSamples;
    private const int Frame48k = PhoneConferenceAudio.RtpSamplesPerFrame;

    private readonly short[] _pcm8 = new short[Frame8k];
    private readonly short[] _pcm48 = new short[Frame48k + 16];
    private readonly short[] _decoded = new short[5760];
    private readonly byte[] _g711 = new byte[Frame8k];
    private readonly byte[] _packet = new byte[OpusEncoder.MaxPacketBytes];
    private SpeexResampler _up = null!;
    private SpeexResampler _down = null!;
    private OpusEncoder _encoder8k = null!;
    private OpusEncoder _encoder48k = null!;
    private OpusDecoder _decoder8k = null!;
    private OpusDecoder _decoder48k = null!;
    private NMinusOneMixer _mixer8k = null!;
    private byte[] _conferencePacket = null!;
    private short[] _speech48 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var defaults = new PhoneConferenceAudioOptions();
        ReadOnlySpan<short> speech = PhonePrompts.LoadDefault()[PhonePrompt.E2eeRefused].Span;
        speech.Slice(8000, Frame8k).CopyTo(_pcm8);
        ALaw.Encode(_pcm8, _g711);
        // speexdsp's VoIP quality, which the 48 kHz path used.
        _up = new SpeexResampler(1, 8000, 48000, quality: 3);
        _down = new SpeexResampler(1, 48000, 8000, quality: 3);
        _encoder8k = CallerEncoder(8000, defaults);
        _encoder48k = CallerEncoder(48000, defaults);
        _decoder8k = new OpusDecoder(RoomAudio.SampleRate, 1);
        _decoder48k = new OpusDecoder();
        _mixer8k = new NMinusOneMixer(defaults.MaxTracks + 1, Frame8k);
        _speech48 = new short[Frame48k + 16];
        _up.Process(_pcm8, _speech48, out _, out _);
        _up.Process(_pcm8, _speech48, out _, out _);
        // A conference track as browsers send it: fullband Opus at libopus' defaults.
        using var browser = new OpusEncoder();
        int length = browser.Encode(_speech48.AsSpan(0, Frame48k), _packet);
        _conferencePacket = _packet[..length];
    }

    [Benchmark(Baseline = true, Description = "G.711 decode + encode")]
    public byte G711()
    {
        ALaw.Decode(_g711, _pcm8);
        ALaw.Encode(_pcm8, _g711);
        return _g711[0];
    }

    [Benchmark(Description = "Opus encode 20 ms at 8 kHz (caller)")]
    public int OpusEncode8k()
    {
        _encoder8k.TryEncode(_pcm8, _packet, out int written);
        return written;
    }

    [Benchmark(Description = "Opus decode 20 ms to 8 kHz (one track)")]
    public int OpusDecode8k()
    {
        _decoder8k.TryDecode(_conferencePacket, _decoded, out int samples);
        return samples;
    }

    [Benchmark(Description = "N-1 mix at 8 kHz, 3 tracks + caller")]
    public short Mix8k()
    {
        for (int slot = 0; slot < 4; slot++)
        {
            _mixer8k.SetActive(slot, true);
        }

        _mixer8k.Mix();
        _mixer8k.WriteMixFor(0, _pcm8);
        return _pcm8[0];
    }

    [Benchmark(Description = "48 kHz path: resample 8 -> 48 kHz")]
    public int ResampleUp()
    {
        _up.Process(_pcm8, _pcm48, out _, out int written);
        return written;
    }

    [Benchmark(Description = "48 kHz path: Opus encode 20 ms (caller)")]
    public int OpusEncode48k()
    {
        _encoder48k.TryEncode(_speech48.AsSpan(0, Frame48k), _packet, out int written);
        return written;
    }

    [Benchmark(Description = "48 kHz path: Opus decode 20 ms (one track)")]
    public int OpusDecode48k()
    {
        _decoder48k.TryDecode(_conferencePacket, _decoded, out int samples);
        return samples;
    }

    [Benchmark(Description = "48 kHz path: resample 48 -> 8 kHz")]
    public int ResampleDown()
    {
        _down.Process(_speech48.AsSpan(0, Frame48k), _pcm8, out _, out int written);
        return written;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _up?.Dispose();
        _down?.Dispose();
        _encoder8k?.Dispose();
        _encoder48k?.Dispose();
        _decoder8k?.Dispose();
        _decoder48k?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static OpusEncoder CallerEncoder(int sampleRate, PhoneConferenceAudioOptions options) =>
        new(sampleRate, 1, options.OpusApplication)
        {
            Bitrate = options.OpusBitrate,
            Complexity = options.OpusComplexity,
            MaxBandwidth = options.OpusMaxBandwidth,
        };
}
