using Callbridge.Janus.Embedded;
using Xunit.Abstractions;

namespace Callbridge.TestSupport;

/// <summary>Runs a test body; if it fails, the tails of the fixtures' logs go to the test output.</summary>
public static class FailureLogs
{
    public static async Task RunAsync(ITestOutputHelper output, Func<Task> body, params ILogSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch
        {
            Write(output, sources);
            throw;
        }
    }

    /// <summary>Writes the last lines of every log of <paramref name="sources"/>.</summary>
    public static void Write(ITestOutputHelper output, IEnumerable<ILogSource> sources, int maxLines = 60)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources)
        {
            foreach (var path in source.LogPaths)
            {
                output.WriteLine($"===== {source.Name}: {path} (last {maxLines} lines) =====");
                output.WriteLine(ChildProcess.Tail(path, maxLines));
            }
        }
    }
}
