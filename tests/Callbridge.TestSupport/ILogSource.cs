namespace Callbridge.TestSupport;

/// <summary>A fixture whose logs belong in a failing test's output.</summary>
public interface ILogSource
{
    string Name { get; }

    /// <summary>Log files, most useful first.</summary>
    IEnumerable<string> LogPaths { get; }
}
