using Callbridge.Audio.Wav;

namespace Callbridge.Audio.Tests;

internal static class Signals
{
    public static short[] Sine(double frequency, int sampleRate, int count, double amplitude = 0.5)
    {
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * 32767 * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return samples;
    }

    /// <summary>Goertzel power at <paramref name="frequency"/>, normalized by length.</summary>
    public static double Goertzel(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coeff = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }

        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / samples.Length;
    }

    /// <summary>Pearson correlation of two equally long series.</summary>
    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = Math.Min(a.Length, b.Length);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= n;
        mb /= n;
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < n; i++)
        {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }

        return cov / Math.Sqrt(va * vb);
    }

    /// <summary>RMS per block of <paramref name="block"/> samples.</summary>
    public static double[] Envelope(ReadOnlySpan<short> samples, int block)
    {
        var env = new double[samples.Length / block];
        for (int i = 0; i < env.Length; i++)
        {
            env[i] = Levels.AudioLevel.Rms(samples.Slice(i * block, block));
        }

        return env;
    }

    /// <summary>Speech from flite (Debian flite), resampled by sox to the given rate, mono.</summary>
    public static short[] FliteSpeech(TempDir dir, string text, int sampleRate, string voice = "slt")
    {
        string raw = dir.File($"flite-{voice}-{Guid.NewGuid():N}.wav");
        string converted = dir.File($"speech-{Guid.NewGuid():N}.wav");
        ExternalTool.Result flite = ExternalTool.Run("flite", "flite", "-voice", voice, "-t", text, "-o", raw);
        Assert.True(flite.ExitCode == 0, flite.Stderr);
        ExternalTool.Result sox = ExternalTool.Run("sox", "sox", raw, "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "1", "-b", "16", converted);
        Assert.True(sox.ExitCode == 0, sox.Stderr);
        using WavReader reader = WavReader.Open(converted);
        Assert.Equal(sampleRate, reader.Format.SampleRate);
        return reader.ReadAll();
    }
}
