using Callbridge.Audio.Resampling;

namespace Callbridge.Audio.Tests;

public class ResamplerTests
{
    private static short[] Convert(SpeexResampler resampler, short[] input)
    {
        short[] output = new short[resampler.GetMaxOutputLength(input.Length)];
        int written = resampler.ProcessAll(input, output);
        return output[..written];
    }

    [Fact]
    public void ToneSurvives48kTo8kAndBack()
    {
        short[] tone = Signals.Sine(1000, 48000, 48000);
        using var down = new SpeexResampler(1, 48000, 8000);
        using var up = new SpeexResampler(1, 8000, 48000);
        short[] narrow = Convert(down, tone);
        short[] back = Convert(up, narrow);
        Assert.InRange(narrow.Length, 7990, 8000);
        Assert.InRange(back.Length, 47900, 48000);

        // Skip the filters' start-up, then the 1 kHz bin must dominate every other probe frequency.
        ReadOnlySpan<short> steady = back.AsSpan(4800, 38400);
        double at1k = Signals.Goertzel(steady, 1000, 48000);
        foreach (double f in new[] { 500.0, 900.0, 1100.0, 2000.0, 3000.0, 5000.0 })
        {
            Assert.True(at1k > 1000 * Signals.Goertzel(steady, f, 48000), $"{f} Hz too strong");
        }

        // Amplitude is kept within 1 dB.
        double ratio = Levels.AudioLevel.Rms(steady) / Levels.AudioLevel.Rms(tone.AsSpan(4800, 38400));
        Assert.InRange(ratio, 0.89, 1.12);
    }

    [Fact]
    public void ToneAbove4kIsRemovedGoingTo8k()
    {
        short[] tone = Signals.Sine(6000, 48000, 48000);
        using var down = new SpeexResampler(1, 48000, 8000);
        short[] narrow = Convert(down, tone);
        Assert.True(Levels.AudioLevel.Dbfs(narrow.AsSpan(800)) < -40, "6 kHz must not alias into the 8 kHz stream");
    }

    [Fact]
    public void Downsamples48kTo16kKeepingFrequency()
    {
        short[] tone = Signals.Sine(440, 48000, 48000);
        using var down = new SpeexResampler(1, 48000, 16000, quality: 6);
        short[] wide = Convert(down, tone);
        ReadOnlySpan<short> steady = wide.AsSpan(1600, 12800);
        Assert.True(Signals.Goertzel(steady, 440, 16000) > 1000 * Signals.Goertzel(steady, 880, 16000));
    }

    [Fact]
    public void StreamingInOddBlocksMatchesOneCall()
    {
        short[] tone = Signals.Sine(700, 8000, 8000);
        using var whole = new SpeexResampler(1, 8000, 48000);
        short[] expected = Convert(whole, tone);

        using var streamed = new SpeexResampler(1, 8000, 48000);
        var rng = new Random(3);
        var got = new List<short>();
        short[] output = new short[4096];
        int offset = 0;
        while (offset < tone.Length)
        {
            int n = Math.Min(rng.Next(1, 300), tone.Length - offset);
            ReadOnlySpan<short> block = tone.AsSpan(offset, n);
            while (!block.IsEmpty)
            {
                Assert.Equal(ResamplerError.Success, streamed.Process(block, output, out int consumed, out int written));
                got.AddRange(output.AsSpan(0, written).ToArray());
                block = block[consumed..];
            }

            offset += n;
        }

        Assert.Equal(expected, got.ToArray());
    }

    [Fact]
    public void ProcessingAllocatesNothing()
    {
        using var resampler = new SpeexResampler(1, 48000, 8000);
        short[] frame = Signals.Sine(300, 48000, 960);
        short[] output = new short[200];
        resampler.Process(frame, output, out _, out _);
        int total = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            total = 0;
            for (int i = 0; i < 1000; i++)
            {
                resampler.Process(frame, output, out _, out int written);
                total += written;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(160_000, total);
    }

    [Fact]
    public void StereoIsInterleaved()
    {
        short[] left = Signals.Sine(500, 48000, 9600);
        short[] right = Signals.Sine(1500, 48000, 9600);
        short[] stereo = new short[left.Length * 2];
        for (int i = 0; i < left.Length; i++)
        {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
        }

        using var resampler = new SpeexResampler(2, 48000, 16000);
        short[] output = Convert(resampler, stereo);
        short[] l = output.Where((_, i) => i % 2 == 0).Skip(320).ToArray();
        short[] r = output.Where((_, i) => i % 2 == 1).Skip(320).ToArray();
        Assert.True(Signals.Goertzel(l, 500, 16000) > 100 * Signals.Goertzel(l, 1500, 16000));
        Assert.True(Signals.Goertzel(r, 1500, 16000) > 100 * Signals.Goertzel(r, 500, 16000));
    }

    [Fact]
    public void InvalidQualityIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeexResampler(1, 8000, 16000, quality: 11));
}
