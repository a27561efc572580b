namespace Callbridge.TestSupport;

/// <summary>A program or file a fixture needs is not installed; names the package that provides it.</summary>
public sealed class MissingProgramException : Exception
{
    public MissingProgramException(string program, string package)
        : base($"'{program}' is not installed: install {package} (scripts/install-deps.sh does it)")
    {
        Program = program;
        Package = package;
    }

    public MissingProgramException()
        : this("?", "?")
    {
    }

    public MissingProgramException(string message)
        : base(message)
    {
        Program = "?";
        Package = "?";
    }

    public MissingProgramException(string message, Exception inner)
        : base(message, inner)
    {
        Program = "?";
        Package = "?";
    }

    public string Program { get; }

    public string Package { get; }
}
