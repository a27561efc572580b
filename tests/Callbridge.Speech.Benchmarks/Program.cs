using BenchmarkDotNet.Running;
using Callbridge.Speech.Benchmarks;

// `capacity [maxStreams]`: recognizer real-time factor and concurrent speakers per host.
// Anything else goes to BenchmarkDotNet, e.g. `--filter * --job short`.
if (args.Length > 0 && args[0] == "capacity")
{
    return CaptioningCapacity.Run(args.Skip(1).ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(OpusDecodeResampleBenchmarks).Assembly).Run(args);
return 0;
