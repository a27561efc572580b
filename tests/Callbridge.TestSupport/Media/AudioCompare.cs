namespace Callbridge.TestSupport.Media;

/// <summary>Energy envelopes and their normalized cross-correlation: "is this the same speech, somewhat delayed?".</summary>
public static class AudioCompare
{
    /// <summary>RMS of the whole signal.</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// RMS per window of <paramref name="windowMs"/> ms. 10 ms matches speech syllable structure
    /// while being coarse enough to ignore codec phase changes (Opus, G.711 resampling).
    /// </summary>
    public static double[] EnergyEnvelope(ReadOnlySpan<float> samples, int sampleRate, int windowMs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var window = Math.Max(1, sampleRate * windowMs / 1000);
        var envelope = new double[samples.Length / window];
        for (var w = 0; w < envelope.Length; w++)
        {
            envelope[w] = Rms(samples.Slice(w * window, window));
        }

        return envelope;
    }

    /// <summary>
    /// Highest Pearson correlation of <paramref name="a"/> against <paramref name="b"/> shifted by
    /// -<paramref name="maxLag"/>..+<paramref name="maxLag"/> windows, over the overlapping part
    /// (at least a quarter of the shorter signal). Lag &gt; 0 means b is late.
    /// </summary>
    public static (double Correlation, int Lag) NormalizedCrossCorrelation(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int maxLag)
    {
        var best = (Correlation: double.NegativeInfinity, Lag: 0);
        var minOverlap = Math.Max(2, Math.Min(a.Length, b.Length) / 4);
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            // Pair a[i] with b[i + lag].
            var start = Math.Max(0, -lag);
            var end = Math.Min(a.Length, b.Length - lag);
            if (end - start < minOverlap)
            {
                continue;
            }

            var r = Pearson(a[start..end], b[(start + lag)..(end + lag)]);
            if (r > best.Correlation)
            {
                best = (r, lag);
            }
        }

        return double.IsNegativeInfinity(best.Correlation) ? (0, 0) : best;
    }

    private static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
