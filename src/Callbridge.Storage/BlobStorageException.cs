namespace Callbridge.Storage;

/// <summary>
/// A storage operation that failed. <see cref="IsTransient"/> says whether trying again later can
/// succeed (an outage, a throttle) or not (bad credentials, a missing block), so callers decide
/// between backing off and reporting.
/// </summary>
public class BlobStorageException(string message, bool isTransient, int? httpStatus = null, string? errorCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>The HTTP status from a remote store, if the failure came from one.</summary>
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>The store's own error code (Azure's x-ms-error-code), if any.</summary>
    public string? ErrorCode { get; } = errorCode;
}
