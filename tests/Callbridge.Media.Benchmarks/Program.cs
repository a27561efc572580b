using BenchmarkDotNet.Running;

namespace Callbridge.Media.Benchmarks;

/// <summary>
/// Run (short job, in-process so no per-run build, full JIT from the start so the first benchmark is not
/// measured on unoptimized code):
/// <c>DOTNET_TieredCompilation=0 dotnet run -c Release --project tests/Callbridge.Media.Benchmarks --
/// --filter '*ReceivePathBenchmarks*' --job short --inProcess --artifacts /tmp/cb-media-bench</c>
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
