namespace Callbridge.Storage;

/// <summary>
/// Where gateway deliverables go: a flat namespace of named blobs inside one configured container.
/// Blob names use '/' as a folder separator ("conf-42/rec-7/manifest.json").
/// </summary>
/// <remarks>
/// Large files are written through <see cref="OpenUploadAsync"/>: blocks are staged while the file is
/// still growing and become visible only when committed, so a reader never sees a partial blob as
/// final, and an upload interrupted by a crash or an outage resumes from the blocks already staged.
/// </remarks>
public interface IBlobSink
{
    /// <summary>A short description for logs and manifests, e.g. "local:/var/lib/callbridge/blobs".</summary>
    string Description { get; }

    /// <summary>Opens (or resumes) a block upload to <paramref name="blobName"/>.</summary>
    Task<IBlockUpload> OpenUploadAsync(string blobName, string contentType, CancellationToken cancellationToken);

    /// <summary>Writes a whole small blob in one request (manifests, transcripts).</summary>
    Task PutAsync(string blobName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Reads a committed blob, or returns null when there is none.</summary>
    Task<byte[]?> GetAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Lists committed blobs whose names start with <paramref name="prefix"/>.</summary>
    IAsyncEnumerable<BlobItem> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes a committed blob; false when there was none.</summary>
    Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken);
}

/// <summary>A committed blob as listed by a sink.</summary>
public sealed record BlobItem(string Name, long Length, string? ContentType);

/// <summary>A block staged for a blob but not yet committed.</summary>
/// <param name="Index">Zero-based position of the block in the blob.</param>
/// <param name="Length">Size of the block in bytes.</param>
public readonly record struct StagedBlock(int Index, long Length);

/// <summary>
/// One resumable upload: blocks are staged by index, in any order and more than once (a retry of the
/// same index replaces it), and the blob appears only at <see cref="CommitAsync"/>.
/// </summary>
public interface IBlockUpload
{
    string BlobName { get; }

    /// <summary>Blocks already staged when the upload was opened (resume) or since.</summary>
    IReadOnlyList<StagedBlock> StagedBlocks { get; }

    Task StageBlockAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Commits blocks 0..<paramref name="blockCount"/>-1, in order, as the blob's content.</summary>
    Task CommitAsync(int blockCount, CancellationToken cancellationToken);
}
