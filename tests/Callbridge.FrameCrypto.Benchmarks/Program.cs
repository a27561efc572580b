using BenchmarkDotNet.Running;
using Callbridge.FrameCrypto.Benchmarks;

// BenchmarkDotNet: dotnet run -c Release --project tests/Callbridge.FrameCrypto.Benchmarks -- --filter '*' --job short --inProcess
// Interleaved A/B medians on a loaded machine: ... -- --interleaved [rounds]
if (args.Length > 0 && args[0] == "--interleaved")
{
    InterleavedRatio.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(FrameCryptoBenchmarks).Assembly).Run(args);
