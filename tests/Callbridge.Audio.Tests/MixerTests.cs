using Callbridge.Audio.Mixing;

namespace Callbridge.Audio.Tests;

public class MixerTests
{
    [Fact]
    public void EachListenerHearsEveryoneButThemselves()
    {
        var mixer = new NMinusOneMixer(capacity: 4, frameSamples: 960);
        var rng = new Random(7);
        short[][] inputs = new short[3][];
        for (int p = 0; p < 3; p++)
        {
            inputs[p] = Enumerable.Range(0, 960).Select(_ => (short)rng.Next(-8000, 8000)).ToArray();
            mixer.SetInput(p, inputs[p]);
        }

        mixer.Mix();
        short[] output = new short[960];
        for (int listener = 0; listener < 4; listener++)
        {
            mixer.WriteMixFor(listener, output);
            for (int i = 0; i < 960; i++)
            {
                int expected = 0;
                for (int p = 0; p < 3; p++)
                {
                    expected += p == listener ? 0 : inputs[p][i];
                }

                Assert.Equal(expected, output[i]);
            }
        }
    }

    [Fact]
    public void SumsSaturateInsteadOfWrapping()
    {
        var mixer = new NMinusOneMixer(3, 4);
        mixer.SetInput(0, [30000, -30000, 20000, 0]);
        mixer.SetInput(1, [30000, -30000, 20000, 0]);
        mixer.SetInput(2, [30000, -30000, -20000, 5]);
        mixer.Mix();
        short[] mix = new short[4];
        mixer.WriteMixFor(2, mix);
        Assert.Equal(new short[] { 32767, -32768, 32767, 0 }, mix);
        mixer.WriteFullMix(mix);
        Assert.Equal(new short[] { 32767, -32768, 20000, 5 }, mix);
    }

    [Fact]
    public void InactiveSlotsAreIgnored()
    {
        var mixer = new NMinusOneMixer(2, 2);
        mixer.SetInput(0, [100, 200]);
        mixer.SetInput(1, [1, 2]);
        mixer.SetActive(1, false);
        mixer.Mix();
        short[] mix = new short[2];
        mixer.WriteMixFor(0, mix);
        Assert.Equal(new short[] { 0, 0 }, mix);
        mixer.WriteMixFor(1, mix);
        Assert.Equal(new short[] { 100, 200 }, mix);
    }

    [Fact]
    public void MixingAllocatesNothingPerFrame()
    {
        var mixer = new NMinusOneMixer(8, 960);
        short[] frame = Signals.Sine(440, 48000, 960);
        short[] output = new short[960];
        for (int p = 0; p < 8; p++)
        {
            mixer.SetInput(p, frame);
        }

        mixer.Mix();
        mixer.WriteMixFor(0, output);
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int round = 0; round < 1000; round++)
            {
                frame.AsSpan().CopyTo(mixer.GetInput(round % 8));
                mixer.Mix();
                for (int p = 0; p < 8; p++)
                {
                    mixer.WriteMixFor(p, output);
                }
            }
        });

        Assert.Equal(0, allocated);
    }
}
