namespace Callbridge.PhoneMedia.Tests;

internal static class Tones
{
    public static short[] Sine(double frequency, int sampleRate, int count, double amplitude = 0.3, int offset = 0)
    {
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * 32767 * Math.Sin(2 * Math.PI * frequency * (i + offset) / sampleRate));
        }

        return samples;
    }

    /// <summary>Goertzel power at <paramref name="frequency"/>, normalized by length.</summary>
    public static double Power(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + (coeff * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        return ((s1 * s1) + (s2 * s2) - (coeff * s1 * s2)) / samples.Length;
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }
}
