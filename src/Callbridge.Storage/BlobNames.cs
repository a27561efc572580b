namespace Callbridge.Storage;

/// <summary>Validation of blob names shared by every sink, so a name that one sink accepts is valid in all.</summary>
public static class BlobNames
{
    /// <summary>Azure's limit on a blob name, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Throws <see cref="InvalidBlobNameException"/> unless the name is safe for every sink.</summary>
    public static void Validate(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        string? why = Check(blobName);
        if (why is not null)
        {
            throw new InvalidBlobNameException(blobName, why);
        }
    }

    private static string? Check(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.Length > MaxLength) return $"it is longer than {MaxLength} characters";
        if (name.StartsWith('/') || name.EndsWith('/')) return "it starts or ends with '/'";
        if (name.Contains('\\')) return "it contains '\\' (use '/' between folders)";
        foreach (string segment in name.Split('/'))
        {
            // "." and ".." would escape the local sink's root; empty segments are ambiguous in Azure.
            if (segment.Length == 0 || segment == "." || segment == "..")
                return $"it has a '{segment}' path segment";
            if (segment.StartsWith(".staging", StringComparison.Ordinal))
                return "'.staging' is reserved for uncommitted blocks";
        }
        foreach (char c in name)
        {
            if (char.IsControl(c)) return "it contains a control character";
        }
        return null;
    }
}

/// <summary>A blob name that no sink would accept, with the reason.</summary>
public sealed class InvalidBlobNameException(string blobName, string reason)
    : ArgumentException($"Invalid blob name '{blobName}': {reason}.")
{
    public string BlobName { get; } = blobName;
    public string Reason { get; } = reason;
}
