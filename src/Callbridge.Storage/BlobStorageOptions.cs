using System.ComponentModel.DataAnnotations;

namespace Callbridge.Storage;

/// <summary>Where deliverables go. Bound from the "Callbridge:Storage" configuration section.</summary>
public sealed class BlobStorageOptions : IValidatableObject
{
    public const string SectionName = "Callbridge:Storage";

    /// <summary>"Local" (the embedded default: a folder on this machine) or "AzureBlob".</summary>
    public BlobStorageKind Kind { get; set; } = BlobStorageKind.Local;

    /// <summary>Root folder of the local sink; relative paths are under the host's content root.</summary>
    public string LocalPath { get; set; } = "data/blobs";

    /// <summary>Blob endpoint of the account, e.g. https://acct.blob.core.windows.net.</summary>
    public Uri? AzureServiceUri { get; set; }

    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Container names are 3-63 lower-case letters, digits and single hyphens.")]
    public string AzureContainer { get; set; } = "callbridge";

    /// <summary>Account name for Shared Key authorization (with <see cref="AzureAccountKey"/>).</summary>
    public string? AzureAccountName { get; set; }

    /// <summary>Base64 account key. Prefer a SAS token, which can expire and be scoped.</summary>
    public string? AzureAccountKey { get; set; }

    /// <summary>A SAS token with at least create, write, read and list permission on the container.</summary>
    public string? AzureSasToken { get; set; }

    /// <summary>Upload block size in bytes (Azure allows up to 4000 MiB; 4 MiB keeps retries cheap).</summary>
    [Range(64 * 1024, 100 * 1024 * 1024)]
    public int BlockSize { get; set; } = GrowingFileUpload.DefaultBlockSize;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == BlobStorageKind.Local && string.IsNullOrWhiteSpace(LocalPath))
            yield return new ValidationResult("LocalPath is required when Kind is Local.", [nameof(LocalPath)]);
        if (Kind != BlobStorageKind.AzureBlob) yield break;
        if (AzureServiceUri is null || !AzureServiceUri.IsAbsoluteUri)
            yield return new ValidationResult("AzureServiceUri (an absolute URL) is required when Kind is AzureBlob.", [nameof(AzureServiceUri)]);
        bool sharedKey = !string.IsNullOrWhiteSpace(AzureAccountName) && !string.IsNullOrWhiteSpace(AzureAccountKey);
        bool sas = !string.IsNullOrWhiteSpace(AzureSasToken);
        if (sharedKey == sas)
            yield return new ValidationResult("Give either AzureAccountName with AzureAccountKey, or AzureSasToken (exactly one).",
                [nameof(AzureAccountKey), nameof(AzureSasToken)]);
        if (!string.IsNullOrWhiteSpace(AzureAccountKey) && !IsBase64(AzureAccountKey))
            yield return new ValidationResult("AzureAccountKey is not valid base64.", [nameof(AzureAccountKey)]);
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}

public enum BlobStorageKind
{
    Local,
    AzureBlob,
}
