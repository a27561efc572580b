using System.Text.Json;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>
/// Locates the shared folder: CALLBRIDGE_SHARED_DIR when set, else &lt;root&gt;/shared next to the repository
/// at &lt;root&gt;/main (found by walking up to Callbridge.Gateways.sln).
/// </summary>
internal static class SharedFiles
{
    private static readonly Lazy<string> Root = new(FindSharedDirectory);

    public static string VectorPath(string fileName)
    {
        var path = Path.Combine(Root.Value, "vectors", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test vector file missing: {path} (set CALLBRIDGE_SHARED_DIR)", path);
        }

        return path;
    }

    public static JsonDocument LoadVectors(string fileName) => JsonDocument.Parse(File.ReadAllText(VectorPath(fileName)));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callbridge.Gateways.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Callbridge.Gateways.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindSharedDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CALLBRIDGE_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        return Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared"));
    }
}
