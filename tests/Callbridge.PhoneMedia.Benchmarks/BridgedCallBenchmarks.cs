using BenchmarkDotNet.Attributes;
using Callbridge.Audio.G711;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// The media work of one bridged call for one 20 ms frame, both directions, on speech (the build-time
/// prompts): phone to conference is G.711 decode and Opus encoding at 8 kHz; conference to phone is Opus
/// decoding of every speaking track to 8 kHz, the N-1 mix and G.711 encoding.
/// The baseline is the G.711 decode and encode alone (what a plain G.711 relay pays). Calls one core can
/// hold = 20 ms / the mean.
/// </summary>
[MemoryDiagnoser]
public class BridgedCallBenchmarks : IDisposable
{
    private const int Frames = 100;

    private readonly byte[][] _phonePackets = new byte[Frames][];
    private readonly byte[][][] _trackPackets = new byte[3][][];
    private readonly short[] _pcm8 = new short[160];
    private readonly short[] _mix8 = new short[160];
    private readonly byte[] _g711Out = new byte[160];
    private readonly PublishedTrack[] _tracks =
    [
        new("t1", "p1", "1", TrackKind.Audio, "opus"),
        new("t2", "p2", "2", TrackKind.Audio, "opus"),
        new("t3", "p3", "3", TrackKind.Audio, "opus"),
    ];

    private PhoneConferenceAudio _audio = null!;
    private int _frame;

    /// <summary>Conference tracks with someone speaking: 1 (a two-party call) or 3 (a lively meeting).</summary>
    [Params(1, 3)]
    public int SpeakingTracks { get; set; }

    /// <summary>Options of the audio path under test (the defaults unless a CPU-time run varies them).</summary>
    public PhoneConferenceAudioOptions Options { get; set; } = new();

    [GlobalSetup]
    public void Setup()
    {
        PhonePrompts prompts = PhonePrompts.LoadDefault();
        ReadOnlySpan<short> caller = prompts[PhonePrompt.E2eeRefused].Span;
        PhonePackets(caller, _phonePackets);

        PhonePrompt[] voices = [PhonePrompt.Welcome, PhonePrompt.EnterPin, PhonePrompt.E2eeTurnedOn];
        for (int t = 0; t < voices.Length; t++)
        {
            _trackPackets[t] = EncodeAt48k(prompts[voices[t]].Span);
        }

        _audio = new PhoneConferenceAudio(Options) { Publication = new DiscardingPublication() };
        for (int i = 0; i < 10; i++)
        {
            BridgedCallFrame();
        }
    }

    [Benchmark(Baseline = true, Description = "G.711 decode + encode (relay baseline)")]
    public byte G711Relay()
    {
        byte[] packet = _phonePackets[_frame++ % Frames];
        ALaw.Decode(packet, _pcm8);
        ALaw.Encode(_pcm8, _g711Out);
        return _g711Out[0];
    }

    [Benchmark(Description = "bridged call, one 20 ms frame both ways")]
    public byte BridgedCallFrame()
    {
        int f = _frame++ % Frames;

        // Phone to conference.
        ALaw.Decode(_phonePackets[f], _pcm8);
        _audio.OnPhoneAudio(_pcm8, concealed: false);

        // Conference to phone.
        for (int t = 0; t < SpeakingTracks; t++)
        {
            byte[] opus = _trackPackets[t][f];
            var frame = new ConferenceFrame
            {
                Track = _tracks[t],
                Ssrc = (uint)t,
                RtpTimestamp = (uint)(f * 960),
                ClockRate = 48000,
                IsKeyFrame = true,
                AfterLoss = false,
                LooksEncrypted = false,
                ReceivedTimestamp = 0,
                Data = opus,
            };
            _audio.OnFrame(in frame);
        }

        _audio.Read(_mix8);
        ALaw.Encode(_mix8, _g711Out);
        return _g711Out[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _audio?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The caller's 20 ms A-law packets: consecutive 160-sample slices of <paramref name="caller"/>, wrapping.</summary>
    internal static void PhonePackets(ReadOnlySpan<short> caller, byte[][] packets)
    {
        for (int f = 0; f < packets.Length; f++)
        {
            packets[f] = new byte[160];
            ALaw.Encode(caller.Slice(f * 160 % (caller.Length - 160), 160), packets[f]);
        }
    }

    internal static byte[][] EncodeAt48k(ReadOnlySpan<short> speech8k)
    {
        using var up = new SpeexResampler(1, 8000, 48000);
        using var encoder = new OpusEncoder();
        var pcm48 = new short[speech8k.Length * 6 + 16];
        int n = up.ProcessAll(speech8k, pcm48);
        var packets = new byte[Frames][];
        var buffer = new byte[1275];
        for (int f = 0; f < Frames; f++)
        {
            int start = f * 960 % (n - 960);
            int length = encoder.Encode(pcm48.AsSpan(start, 960), buffer);
            packets[f] = buffer[..length];
        }

        return packets;
    }

    internal sealed class DiscardingPublication : IConferenceAudioPublication
    {
        public uint Ssrc => 1;

        public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960) => true;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
