using Callbridge.Gateways.Recording.Benchmarks;

// Usage (inside scripts/test-in-netns.sh):
//   run [--participants 10,50,100] [--per-room 10] [--window 30]   the whole bench, one table
//   recorder --janus URI --rooms A,B --mode record|discard --spool DIR   (started by run)
//   bots --janus URI --rooms A,B --per-room N --clip DIR                  (started by run)
return args.FirstOrDefault() switch
{
    // scripts/bench.sh starts every *.Benchmarks project with BenchmarkDotNet options: this one is a load bench.
    { } first when first.StartsWith("--", StringComparison.Ordinal) => Skip(),
    "run" => await BenchRun.MainAsync(Arguments.Parse(args[1..])),
    "recorder" => await RecorderMode.MainAsync(Arguments.Parse(args[1..])),
    "bots" => await BotsMode.MainAsync(Arguments.Parse(args[1..])),
    _ => Usage(),
};

static int Skip()
{
    Console.WriteLine("Callbridge.Gateways.Recording.Benchmarks is a load bench with real processes: run scripts/bench-recording.sh.");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Callbridge.Gateways.Recording.Benchmarks run [--participants 10,50,100] [--per-room 10] [--window 30]");
    return 2;
}
