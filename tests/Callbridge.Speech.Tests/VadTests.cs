using Callbridge.Speech.Vad;

namespace Callbridge.Speech.Tests;

public class VadTests
{
    private static short[] Tone(double dbfs, int samples, double frequency = 300)
    {
        double amplitude = Math.Pow(10, dbfs / 20) * Math.Sqrt(2) * 32768;
        return Enumerable.Range(0, samples).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / 16000))).ToArray();
    }

    private static short[] Noise(double dbfs, int samples, int seed)
    {
        var rng = new Random(seed);
        // Uniform noise in [-a, a] has RMS a / sqrt(3).
        double a = Math.Pow(10, dbfs / 20) * Math.Sqrt(3) * 32768;
        return Enumerable.Range(0, samples).Select(_ => (short)Math.Round((rng.NextDouble() * 2 - 1) * a)).ToArray();
    }

    private static List<VadEvent> Run(EnergyVad vad, short[] audio)
    {
        var events = new List<VadEvent>();
        for (int offset = 0; offset + vad.FrameSamples <= audio.Length; offset += vad.FrameSamples)
        {
            events.Add(vad.Process(audio.AsSpan(offset, vad.FrameSamples)));
        }

        return events;
    }

    [Fact]
    public void SpeechStartsAfterThreeVoicedFramesAndEndsAfterTheHangover()
    {
        var vad = new EnergyVad(16000);
        Assert.Equal(160, vad.FrameSamples);
        short[] audio = [.. new short[16000], .. Tone(-20, 8000), .. new short[16000]];
        List<VadEvent> events = Run(vad, audio);
        Assert.Equal(Enumerable.Repeat(VadEvent.Silence, 100), events.Take(100));
        // Onset: 30 ms of voiced frames.
        Assert.Equal(VadEvent.Silence, events[101]);
        Assert.Equal(VadEvent.SpeechStart, events[102]);
        Assert.All(events.Skip(103).Take(47 + 49), e => Assert.Equal(VadEvent.Speech, e));
        // Hangover: the 50th silent frame after the tone (which ends at frame 149) ends speech.
        Assert.Equal(VadEvent.SpeechEnd, events[199]);
        Assert.All(events.Skip(200), e => Assert.Equal(VadEvent.Silence, e));
    }

    [Fact]
    public void ShortClicksAndQuietSoundsAreNotSpeech()
    {
        var vad = new EnergyVad(16000);
        short[] click = Tone(-10, 320);
        short[] whisper = Tone(-55, 16000);
        List<VadEvent> events = Run(vad, [.. new short[8000], .. click, .. new short[8000], .. whisper]);
        Assert.DoesNotContain(VadEvent.SpeechStart, events);
    }

    [Fact]
    public void SteadyNoiseStopsCountingAsSpeechWithinTwoSeconds()
    {
        var vad = new EnergyVad(16000);
        short[] noise = Noise(-40, 16000 * 6, seed: 5);
        List<VadEvent> events = Run(vad, noise);
        int end = events.IndexOf(VadEvent.SpeechEnd);
        Assert.InRange(end, 0, 250);
        Assert.All(events.Skip(end + 1), e => Assert.Equal(VadEvent.Silence, e));
        Assert.InRange(vad.NoiseFloorDbfs, -45, -35);

        // A voice 15 dB over that noise is found again.
        short[] voice = Tone(-25, 8000).Zip(Noise(-40, 8000, seed: 6), (a, b) => (short)(a + b)).ToArray();
        Assert.Contains(VadEvent.SpeechStart, Run(vad, voice));
    }
}
