using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Callbridge.Srtp.Benchmarks.SrtpUnprotectBenchmarks).Assembly).Run(args);
