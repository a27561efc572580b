namespace Callbridge.Negotiation.Tests;

internal static class RepositoryPaths
{
    /// <summary>The folder holding Callbridge.Gateways.sln, found by walking up from the test binaries.</summary>
    public static string Root()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callbridge.Gateways.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Callbridge.Gateways.sln not found above " + AppContext.BaseDirectory);
    }
}
