namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// Finds the marker's onset in a stream of PCM frames: the first sample at or above <see cref="OnsetLevel"/>
/// within 10 ms of the first sound after at least 300 ms of samples below <see cref="SilenceLevel"/>. The levels sit far from both the beep
/// (10,000) and digital silence through G.711 and Opus (under 100), so codecs and resamplers move the
/// crossing by well under a millisecond.
/// </summary>
internal sealed class OnsetDetector(int sampleRate)
{
    public const int OnsetLevel = 4000;
    public const int SilenceLevel = 300;

    private readonly int _needSilent = sampleRate * 300 / 1000;
    private readonly int _riseSamples = sampleRate * 10 / 1000;
    private int _silent;
    private int _armedLeft;

    public int SampleRate { get; } = sampleRate;

    /// <summary>Largest magnitude seen, and frames whose samples all stayed under <see cref="SilenceLevel"/>.</summary>
    public int Peak { get; private set; }

    public long QuietFrames { get; private set; }

    /// <summary>Index of the onset in <paramref name="samples"/>, or -1.</summary>
    public int Find(ReadOnlySpan<short> samples)
    {
        int found = -1;
        int peak = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            int a = Math.Abs((int)samples[i]);
            peak = Math.Max(peak, a);
            if (_armedLeft > 0)
            {
                _armedLeft--;
            }

            if (a < SilenceLevel)
            {
                _silent++;
                continue;
            }

            // The first sound after the silence arms the detector for the rise time: Opus spreads a step into a
            // pre-echo of up to ~600 about 5 ms ahead of it, so the onset level is crossed that much after the first sound.
            if (_silent >= _needSilent)
            {
                _armedLeft = _riseSamples;
            }

            _silent = 0;
            if (a >= OnsetLevel && _armedLeft > 0)
            {
                found = found < 0 ? i : found;
                _armedLeft = 0;
            }
        }

        Peak = Math.Max(Peak, peak);
        QuietFrames += peak < SilenceLevel ? 1 : 0;
        return found;
    }
}
