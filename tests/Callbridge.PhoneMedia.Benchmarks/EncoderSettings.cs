using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Callbridge.Audio.G711;
using Callbridge.Audio.Opus;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// What the caller's encoder settings cost and what they keep: every prompt's speech (flite, 8 kHz) through
/// G.711 A-law and then Opus at 8 kHz and back, per complexity and bitrate, with the processor time per 20 ms
/// encode and the band log-spectral distance between what went in and what came out (16 log-spaced bands,
/// 94-3780 Hz, 32 ms Hann frames, silent frames skipped; lower is closer, 0 is identical). A bitrate halved
/// is printed beside as a scale: it is a loss anyone would hear.
/// <c>dotnet tests/Callbridge.PhoneMedia.Benchmarks/bin/Release/net10.0/Callbridge.PhoneMedia.Benchmarks.dll --encoder-settings</c>
/// </summary>
internal static class EncoderSettings
{
    private const int Frame = PhoneConferenceAudio.FrameSamples;
    private const int Window = 256;
    private const int Bands = 16;

    public static void Run()
    {
        short[] speech = Speech();
        var defaults = new PhoneConferenceAudioOptions();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{speech.Length / 8000.0:F1} s of prompt speech through A-law, then Opus at 8 kHz (narrowband) in {defaults.OpusPacketMilliseconds} ms packets"));
        Console.WriteLine("application         complexity  bitrate  encode cpu us/20 ms  band LSD dB  look-ahead ms");
        var settings = new (OpusApplication, int, int)[]
        {
            (OpusApplication.Voip, 10, 24000), (OpusApplication.Voip, 5, 24000), (OpusApplication.Voip, 3, 24000),
            (OpusApplication.Voip, 1, 24000), (OpusApplication.Voip, 0, 24000), (OpusApplication.Voip, 5, 12000), (OpusApplication.Voip, 1, 12000),
            (OpusApplication.RestrictedLowDelay, 10, 24000), (OpusApplication.RestrictedLowDelay, 5, 24000),
            (OpusApplication.RestrictedLowDelay, 1, 24000), (OpusApplication.RestrictedLowDelay, 0, 24000),
            (OpusApplication.RestrictedLowDelay, 0, 32000), (OpusApplication.RestrictedLowDelay, 0, 12000),
        };
        foreach ((OpusApplication application, int complexity, int bitrate) in settings)
        {
            var options = defaults with { OpusApplication = application, OpusComplexity = complexity, OpusBitrate = bitrate };
            (double cpu, double lsd, double lookahead) = Measure(speech, options);
            string mark = options == defaults ? "  (default)" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{application,-19} {complexity,10} {bitrate,8} {cpu,20:F1} {lsd,12:F2} {lookahead,14:F1}{mark}"));
        }
    }

    /// <summary>Every prompt end to end, as the phone would deliver it (A-law round trip).</summary>
    private static short[] Speech()
    {
        PhonePrompts prompts = PhonePrompts.LoadDefault();
        var all = new List<short>();
        foreach (PhonePrompt prompt in Enum.GetValues<PhonePrompt>())
        {
            all.AddRange(prompts[prompt].Span.ToArray());
        }

        // Whole 60 ms: every packet duration the bridge takes (20, 40, 60 ms) then codes all of it.
        short[] speech = [.. all.Take(all.Count / (3 * 2 * Frame) * (3 * 2 * Frame))];
        var law = new byte[speech.Length];
        ALaw.Encode(speech, law);
        ALaw.Decode(law, speech);
        return speech;
    }

    private static (double CpuMicroseconds, double BandLsd, double LookaheadMilliseconds) Measure(short[] speech, PhoneConferenceAudioOptions options)
    {
        const int passes = 20;
        // One encode per packet, as the bridge encodes: the cost is then spread over the packet's 20 ms frames.
        int packetSamples = Frame * options.OpusPacketMilliseconds / 20;
        int frames = speech.Length / packetSamples;
        var packet = new byte[OpusEncoder.MaxPacketBytes];
        double best = double.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            // Whole passes over the speech are timed: the process clock is too coarse for one frame.
            TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
            for (int pass = 0; pass < passes; pass++)
            {
                using OpusEncoder encoder = PhoneConferenceAudio.CreateCallerEncoder(options);
                for (int f = 0; f < frames; f++)
                {
                    encoder.Encode(speech.AsSpan(f * packetSamples, packetSamples), packet);
                }
            }

            double perFrame = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / (passes * frames * (packetSamples / Frame));
            // The first round warms the library and the JIT; the least of the rest is the cost.
            if (round > 0)
            {
                best = Math.Min(best, perFrame);
            }
        }

        // Fidelity, apart from the timing: one more pass, each packet decoded as it comes.
        using OpusEncoder fidelityEncoder = PhoneConferenceAudio.CreateCallerEncoder(options);
        int lookahead = fidelityEncoder.Lookahead;
        var decoded = new short[speech.Length];
        using var decoder = new OpusDecoder(RoomAudio.SampleRate, 1);
        for (int f = 0; f < frames; f++)
        {
            int length = fidelityEncoder.Encode(speech.AsSpan(f * packetSamples, packetSamples), packet);
            decoder.Decode(packet.AsSpan(0, length), decoded.AsSpan(f * packetSamples, packetSamples));
        }

        return (best, BandLsd(speech.AsSpan(0, speech.Length - lookahead), decoded.AsSpan(lookahead)), lookahead / 8.0);
    }

    private static double BandLsd(ReadOnlySpan<short> reference, ReadOnlySpan<short> coded)
    {
        double total = 0;
        int counted = 0;
        Span<double> a = stackalloc double[Bands];
        Span<double> b = stackalloc double[Bands];
        for (int at = 0; at + Window <= reference.Length && at + Window <= coded.Length; at += Window)
        {
            ReadOnlySpan<short> x = reference.Slice(at, Window);
            double energy = 0;
            foreach (short s in x)
            {
                energy += (double)s * s;
            }

            // Speech only: a frame below about -50 dBFS is a pause, where any codec is "far" in dB.
            if (energy < 1e5 * Window)
            {
                continue;
            }

            BandLevels(x, a);
            BandLevels(coded.Slice(at, Window), b);
            double sum = 0;
            for (int i = 0; i < Bands; i++)
            {
                sum += (a[i] - b[i]) * (a[i] - b[i]);
            }

            total += Math.Sqrt(sum / Bands);
            counted++;
        }

        return total / counted;
    }

    /// <summary>Level in dB of 16 log-spaced bands from FFT bin 3 (94 Hz) to 121 (3780 Hz) of a Hann-windowed frame.</summary>
    private static void BandLevels(ReadOnlySpan<short> frame, Span<double> levels)
    {
        var bins = new Complex[Window];
        for (int i = 0; i < Window; i++)
        {
            bins[i] = frame[i] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * i / Window)));
        }

        Fft(bins);
        for (int band = 0; band < Bands; band++)
        {
            int from = Edge(band), to = Math.Max(Edge(band + 1), from + 1);
            double power = 0;
            for (int k = from; k < to; k++)
            {
                power += bins[k].Magnitude * bins[k].Magnitude;
            }

            levels[band] = 10 * Math.Log10(power + 1);
        }

        static int Edge(int band) => (int)(3 * Math.Pow(121.0 / 3, band / (double)Bands));
    }

    /// <summary>In-place radix-2 FFT.</summary>
    private static void Fft(Complex[] x)
    {
        int n = x.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (x[i], x[j]) = (x[j], x[i]);
            }
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            Complex step = Complex.FromPolarCoordinates(1, -2 * Math.PI / length);
            for (int start = 0; start < n; start += length)
            {
                Complex w = Complex.One;
                for (int k = 0; k < length / 2; k++)
                {
                    Complex even = x[start + k], odd = x[start + k + (length / 2)] * w;
                    x[start + k] = even + odd;
                    x[start + k + (length / 2)] = even - odd;
                    w *= step;
                }
            }
        }
    }
}
