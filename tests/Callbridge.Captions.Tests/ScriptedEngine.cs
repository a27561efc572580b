using Callbridge.Speech.Recognition;

namespace Callbridge.Captions.Tests;

/// <summary>
/// A speech engine for pipeline units: the "text" of an utterance is one word per 100 ms of audio it was fed,
/// so what comes out is a function of what went in. It can be told to fail a stream and to report restarts.
/// </summary>
internal sealed class ScriptedEngine(int maxDecoders = 4) : ISpeechEngine, ISpeechEngineHealth
{
    private readonly Lock _gate = new();
    private int _leased;

    public int MaxDecoders => maxDecoders;

    /// <summary>Decoders leased so far (each stream leases one).</summary>
    public int Leases { get; private set; }

    /// <summary>The next leased decoder throws once it has been fed this many samples.</summary>
    public long? FailNextDecoderAfterSamples { get; set; }

    public int Restarts { get; set; }

    public bool Healthy { get; set; } = true;

    public ISpeechDecoder? TryLease()
    {
        lock (_gate)
        {
            if (_leased >= maxDecoders)
            {
                return null;
            }

            _leased++;
            Leases++;
            long? fail = FailNextDecoderAfterSamples;
            FailNextDecoderAfterSamples = null;
            return new ScriptedDecoder(fail);
        }
    }

    public void Return(ISpeechDecoder decoder)
    {
        lock (_gate)
        {
            _leased--;
        }
    }

    public SpeechEngineHealth GetHealth() => new("scripted", Healthy, Restarts, Healthy ? null : "scripted fault");

    public void Dispose()
    {
    }

    private sealed class ScriptedDecoder(long? failAfter) : ISpeechDecoder
    {
        private long _samples;
        private long _total;

        public void StartUtterance() => _samples = 0;

        public void Process(ReadOnlySpan<short> samples)
        {
            _samples += samples.Length;
            _total += samples.Length;
            if (_total > failAfter)
            {
                throw new InvalidOperationException("scripted decoder failure");
            }
        }

        public string GetPartial() => Words(_samples);

        public (string Text, double? Confidence) EndUtterance() => (Words(_samples), 0.75);

        public void Dispose()
        {
        }

        private static string Words(long samples) => string.Join(' ', Enumerable.Repeat("word", (int)(samples / 1600)));
    }
}
