using Callbridge.Audio.Levels;

namespace Callbridge.Audio.Tests;

public class LevelTests
{
    [Fact]
    public void FullScaleSineIsMinusThreeDbfs()
    {
        short[] sine = Signals.Sine(1000, 48000, 48000, amplitude: 1.0);
        Assert.InRange(AudioLevel.Dbfs(sine), -3.03, -2.99);
    }

    [Fact]
    public void HalfScaleSquareIsMinusSixDbfs()
    {
        short[] square = Enumerable.Range(0, 480).Select(i => (short)(i % 2 == 0 ? 16384 : -16384)).ToArray();
        Assert.InRange(AudioLevel.Dbfs(square), -6.03, -6.00);
        Assert.Equal(0.5, AudioLevel.Peak(square), 6);
    }

    [Fact]
    public void SilenceIsTheFloor()
    {
        Assert.Equal(AudioLevel.SilenceDbfs, AudioLevel.Dbfs(new short[160]));
        Assert.Equal(AudioLevel.SilenceDbfs, AudioLevel.Dbfs(ReadOnlySpan<short>.Empty));
        Assert.Equal(0, AudioLevel.Energy(new short[160]));
    }

    [Fact]
    public void EnergyIsSumOfSquares()
    {
        short[] samples = [3, -4, 0, 32767];
        Assert.Equal(9 + 16 + 32767.0 * 32767, AudioLevel.Energy(samples));
    }
}
