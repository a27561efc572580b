using System.Diagnostics;
using System.Globalization;

namespace Callbridge.FrameCrypto.Benchmarks;

/// <summary>
/// Supplementary A/B measurement for a shared, loaded machine: the methods of
/// <see cref="FrameCryptoBenchmarks"/> run in short interleaved slices over many rounds, so that load spikes
/// hit every method alike; prints the median ns/op per method and its ratio to bare AesGcm of the same
/// direction. Run with: -- --interleaved [rounds]
/// </summary>
internal static class InterleavedRatio
{
    public static void Run(int rounds)
    {
        // Throwaway pass so that every method is tiered up before samples count.
        Measure(20, print: false);
        Measure(rounds, print: true);
    }

    private static void Measure(int rounds, bool print)
    {
        foreach (int size in new[] { 80, 1200 })
        {
            var b = new FrameCryptoBenchmarks { FrameSize = size };
            b.Setup();
            var methods = new (string Name, Action Op)[]
            {
                ("BareAesGcmEncrypt", b.BareAesGcmEncrypt),
                ("BareAesGcmDecrypt", b.BareAesGcmDecrypt),
                ("BareAesGcmEncryptNoAad", b.BareAesGcmEncryptNoAad),
                ("JFrameEncrypt", () => b.JFrameEncrypt()),
                ("JFrameDecrypt", () => b.JFrameDecrypt()),
                ("JFrameSenderTransform", () => b.JFrameSenderTransform()),
                ("JFrameReceiversDecrypt", () => b.JFrameReceiversDecrypt()),
                ("SFrameGcmEncrypt", () => b.SFrameGcmEncrypt()),
                ("SFrameGcmDecrypt", () => b.SFrameGcmDecrypt()),
                ("SFrameCtrHmac80Encrypt", () => b.SFrameCtrHmac80Encrypt()),
                ("SFrameCtrHmac80Decrypt", () => b.SFrameCtrHmac80Decrypt()),
            };
            var samples = methods.Select(_ => new List<double>()).ToArray();
            const int OpsPerSlice = 2000;
            for (int r = 0; r < rounds; r++)
            {
                for (int m = 0; m < methods.Length; m++)
                {
                    var op = methods[m].Op;
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < OpsPerSlice; i++)
                    {
                        op();
                    }

                    samples[m].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / OpsPerSlice);
                }
            }

            b.Cleanup();
            if (!print)
            {
                continue;
            }

            double Median(List<double> s) => s.Order().ElementAt(s.Count / 2);
            double bareEnc = Median(samples[0]);
            double bareDec = Median(samples[1]);
            Console.WriteLine($"FrameSize={size}, rounds={rounds}, {OpsPerSlice} ops per slice");
            for (int m = 0; m < methods.Length; m++)
            {
                double median = Median(samples[m]);
                double bare = methods[m].Name.EndsWith("Decrypt", StringComparison.Ordinal) ? bareDec : bareEnc;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {methods[m].Name,-24} median {median,9:F0} ns/op   throughput ratio vs bare AesGcm {bare / median:F2}"));
            }
        }
    }
}
