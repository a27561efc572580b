using System.Net;

namespace Callbridge.TestSupport;

/// <summary>What scripts/test-in-netns.sh exported, and where runs keep their files.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> RunFolderLazy = new(CreateRunFolder);
    private static int _sequence;

    /// <summary>True inside the private network namespace made by scripts/test-in-netns.sh.</summary>
    public static bool InNetns => Environment.GetEnvironmentVariable("CALLBRIDGE_NETNS") == "1";

    /// <summary>The namespace's non-loopback address (cb0), 198.18.0.1 by default.</summary>
    public static IPAddress TestIp =>
        IPAddress.Parse(Environment.GetEnvironmentVariable("CALLBRIDGE_TEST_IP") is { Length: > 0 } ip ? ip : "198.18.0.1");

    /// <summary>The namespace's interface for ICE (cb0).</summary>
    public static string TestInterface =>
        Environment.GetEnvironmentVariable("CALLBRIDGE_TEST_IFACE") is { Length: > 0 } i ? i : "cb0";

    /// <summary>Repository root: CALLBRIDGE_REPO_ROOT, else the folder above that holds Callbridge.Gateways.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CALLBRIDGE_REPO_ROOT") is { Length: > 0 } root)
            {
                return root;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Callbridge.Gateways.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("cannot find the repository root (set CALLBRIDGE_REPO_ROOT)");
        }
    }

    /// <summary>Folder with the TestSupport content files copied next to the test assembly.</summary>
    public static string ContentFolder => Path.Combine(AppContext.BaseDirectory, "TestSupport");

    /// <summary>
    /// This test process's folder under artifacts/test-runs/ (git-ignored): every fixture writes its
    /// configuration, logs, recordings and generated media below it, and nothing deletes it.
    /// </summary>
    public static string RunFolder => RunFolderLazy.Value;

    /// <summary>A fresh folder for one fixture instance, e.g. artifacts/test-runs/20261122-061500-1234/janus-3.</summary>
    public static string NewFolder(string name)
    {
        var n = Interlocked.Increment(ref _sequence);
        var path = Path.Combine(RunFolder, $"{name}-{n}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Fails, with the way to run it, when a fixture needs the test namespace.</summary>
    public static void RequireNetns(string fixture)
    {
        if (!InNetns)
        {
            throw new InvalidOperationException(
                $"{fixture} needs the private test network namespace (Janus and the browsers cannot use loopback for ICE). " +
                "Run the tests through scripts/test.sh, or: scripts/test-in-netns.sh dotnet test tests/<Project> --no-build");
        }
    }

    private static string CreateRunFolder()
    {
        var root = Environment.GetEnvironmentVariable("CALLBRIDGE_TEST_ARTIFACTS") is { Length: > 0 } a
            ? a
            : Path.Combine(RepoRoot, "artifacts", "test-runs");
        var path = Path.Combine(root, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(path);
        return path;
    }
}
