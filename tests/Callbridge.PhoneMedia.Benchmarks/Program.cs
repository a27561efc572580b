using BenchmarkDotNet.Running;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// Run (short job, in-process, full JIT from the start):
/// <c>DOTNET_TieredCompilation=0 dotnet run -c Release --project tests/Callbridge.PhoneMedia.Benchmarks --
/// --filter '*BridgedCall*' --job short --inProcess --artifacts /tmp/cb-phone-bench</c>;
/// processor time per frame instead of wall time: <c>... -- --cpu-time</c>; the caller encoder's cost and
/// fidelity per complexity and bitrate: <c>... -- --encoder-settings</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--cpu-time"])
        {
            CpuTime.Run();
            return;
        }

        if (args is ["--encoder-settings"])
        {
            EncoderSettings.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
