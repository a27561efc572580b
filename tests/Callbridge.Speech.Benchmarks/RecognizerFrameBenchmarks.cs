using BenchmarkDotNet.Attributes;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Vad;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// Cost of one sentence (about 2-3 s of speech) through the PocketSphinx decoder, against the VAD
/// alone over the same audio as baseline.
/// </summary>
[MemoryDiagnoser]
public class RecognizerFrameBenchmarks
{
    private short[] _sentence = [];
    private PocketSphinxEngine _engine = null!;
    private ISpeechDecoder _decoder = null!;
    private EnergyVad _vad = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sentence = SentenceAudio.Synthesize("slt", count: 1)[0];
        _engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 1 });
        _decoder = _engine.TryLease()!;
        _vad = new EnergyVad(16000);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Return(_decoder);
        _engine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "VAD over one sentence")]
    public int Vad()
    {
        int speech = 0;
        for (int i = 0; i + 160 <= _sentence.Length; i += 160)
        {
            speech += _vad.Process(_sentence.AsSpan(i, 160)) == VadEvent.Speech ? 1 : 0;
        }

        return speech;
    }

    [Benchmark(Description = "PocketSphinx decode of one sentence")]
    public string Decode()
    {
        _decoder.StartUtterance();
        for (int i = 0; i + 160 <= _sentence.Length; i += 160)
        {
            _decoder.Process(_sentence.AsSpan(i, 160));
        }

        return _decoder.EndUtterance().Text;
    }
}
