using BenchmarkDotNet.Attributes;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Captions;
using Callbridge.Gateways;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// The media-thread cost of <see cref="CaptionPipeline.PushOpus"/> per 20 ms frame (decode, resample, hand-off
/// to the speaker's recognizer queue) against the bare decode + resample it wraps. The recognizer behind it
/// decodes nothing (its cost is the capacity mode's subject) so only the pipeline is measured.
/// </summary>
[MemoryDiagnoser]
public class CaptionPipelineBenchmarks
{
    private readonly short[] _pcm48 = new short[960];
    private readonly short[] _pcm16 = new short[400];
    private List<byte[]> _packets = [];
    private OpusDecoder _decoder = null!;
    private SpeexResampler _to16k = null!;
    private CaptionPipeline _pipeline = null!;
    private int _next;
    private uint _rtp;

    [GlobalSetup]
    public void Setup()
    {
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
        // A queue deep enough that no push is refused during a run.
        _pipeline = new CaptionPipeline(new StreamingRecognizer(new IdleEngine(), new RecognizerOptions { AudioQueueChunks = 1 << 20 }), new NullListener());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _decoder.Dispose();
        _to16k.Dispose();
    }

    private byte[] NextPacket()
    {
        byte[] p = _packets[_next];
        _next = (_next + 1) % _packets.Count;
        return p;
    }

    [Benchmark(Baseline = true, Description = "Opus decode + resample 48k->16k")]
    public int DecodeTo16k()
    {
        int n = _decoder.Decode(NextPacket(), _pcm48);
        _to16k.Process(_pcm48.AsSpan(0, n), _pcm16, out _, out int written);
        return written;
    }

    [Benchmark(Description = "CaptionPipeline.PushOpus 20 ms")]
    public CaptionPushResult PushOpus()
    {
        CaptionPushResult result = _pipeline.PushOpus("speaker", "Speaker", _rtp, NextPacket());
        _rtp += 960;
        return result;
    }

    private sealed class IdleEngine : ISpeechEngine
    {
        public int MaxDecoders => 1;

        public ISpeechDecoder? TryLease() => new IdleDecoder();

        public void Return(ISpeechDecoder decoder)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class IdleDecoder : ISpeechDecoder
    {
        public void StartUtterance()
        {
        }

        public void Process(ReadOnlySpan<short> samples)
        {
        }

        public string GetPartial() => "";

        public (string Text, double? Confidence) EndUtterance() => ("", null);

        public void Dispose()
        {
        }
    }

    private sealed class NullListener : ICaptionListener
    {
        public void OnCaption(CaptionUpdate caption)
        {
        }

        public void OnNotice(CaptionNotice notice)
        {
        }
    }
}
