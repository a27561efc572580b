using BenchmarkDotNet.Running;

namespace Callbridge.Sip.Benchmarks;

public static class Program
{
    /// <summary><c>--throughput</c>: messages/s per core from thread CPU time (<see cref="Throughput"/>); otherwise BenchmarkDotNet.</summary>
    public static int Main(string[] args)
    {
        if (args is ["--throughput"])
        {
            return Throughput.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
