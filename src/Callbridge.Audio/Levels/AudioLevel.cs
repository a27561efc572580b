namespace Callbridge.Audio.Levels;

/// <summary>
/// Level helpers over 16-bit PCM. Full scale is 32768: a full-scale square wave is 0 dBFS and a
/// full-scale sine is about -3.01 dBFS (RMS referenced, as in AES17 without the +3 dB sine correction).
/// </summary>
public static class AudioLevel
{
    /// <summary>Level reported for digital silence, instead of negative infinity.</summary>
    public const double SilenceDbfs = -120.0;

    /// <summary>Sum of squares of the samples (signal energy, in squared sample units).</summary>
    public static double Energy(ReadOnlySpan<short> samples)
    {
        long sum = 0;
        foreach (short s in samples)
        {
            sum += s * s;
        }

        return sum;
    }

    /// <summary>Root mean square, normalized to full scale (0..1).</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        return Math.Sqrt(Energy(samples) / samples.Length) / 32768.0;
    }

    /// <summary>RMS level in dBFS; <see cref="SilenceDbfs"/> for silence or empty input.</summary>
    public static double Dbfs(ReadOnlySpan<short> samples) => ToDbfs(Rms(samples));

    /// <summary>Converts a normalized RMS (0..1) to dBFS, floored at <see cref="SilenceDbfs"/>.</summary>
    public static double ToDbfs(double normalizedRms) =>
        normalizedRms <= 0 ? SilenceDbfs : Math.Max(SilenceDbfs, 20 * Math.Log10(normalizedRms));

    /// <summary>Peak absolute sample, normalized to full scale.</summary>
    public static double Peak(ReadOnlySpan<short> samples)
    {
        int peak = 0;
        foreach (short s in samples)
        {
            peak = Math.Max(peak, Math.Abs((int)s));
        }

        return peak / 32768.0;
    }
}
