using BenchmarkDotNet.Attributes;
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
    private OpusSpeechPackets _audio = null!;
    private CaptionPipeline _pipeline = null!;
    private uint _rtp;

    [GlobalSetup]
    public void Setup()
    {
        _audio = new OpusSpeechPackets();
        // A queue deep enough that no push is refused during a run.
        _pipeline = new CaptionPipeline(new StreamingRecognizer(new IdleEngine(), new RecognizerOptions { AudioQueueChunks = 1 << 20 }), new NullListener());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _audio.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Opus decode + resample 48k->16k")]
    public int DecodeTo16k() => _audio.DecodeTo16k();

    [Benchmark(Description = "CaptionPipeline.PushOpus 20 ms")]
    public CaptionPushResult PushOpus()
    {
        CaptionPushResult result = _pipeline.PushOpus("speaker", "Speaker", _rtp, _audio.Next());
        _rtp += OpusSpeechPackets.FrameSamples;
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
