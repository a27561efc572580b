using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Callbridge.Storage.Local;

/// <summary>
/// The embedded default sink: blobs are files under a root folder. Staged blocks live under
/// <c>.staging/</c> until commit, which assembles them into a temporary file, flushes it to disk and
/// renames it into place, so a committed blob is always whole and a crash leaves only staging behind.
/// </summary>
public sealed class LocalFolderBlobSink : IBlobSink
{
    private const string StagingFolderName = ".staging";
    private readonly string _root;

    public LocalFolderBlobSink(string rootFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        _root = Path.GetFullPath(rootFolder);
        Directory.CreateDirectory(_root);
    }

    public string Description => "local:" + _root;

    public Task<IBlockUpload> OpenUploadAsync(string blobName, string contentType, CancellationToken cancellationToken)
    {
        BlobNames.Validate(blobName);
        string staging = StagingFolder(blobName);
        Directory.CreateDirectory(staging);
        var staged = new StagedBlockList();
        foreach (string file in Directory.EnumerateFiles(staging, "*.blk"))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                staged.Record(index, new FileInfo(file).Length);
            }
        }
        return Task.FromResult<IBlockUpload>(new LocalBlockUpload(this, blobName, staging, staged));
    }

    public async Task PutAsync(string blobName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        BlobNames.Validate(blobName);
        string staging = StagingFolder(blobName);
        Directory.CreateDirectory(staging);
        string temp = Path.Combine(staging, "put-" + Guid.NewGuid().ToString("N") + ".tmp");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        PublishAtomically(temp, blobName);
    }

    public async Task<byte[]?> GetAsync(string blobName, CancellationToken cancellationToken)
    {
        BlobNames.Validate(blobName);
        string path = FinalPath(blobName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        string staging = Path.Combine(_root, StagingFolderName) + Path.DirectorySeparatorChar;
        var names = new List<string>();
        foreach (string file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            if (file.StartsWith(staging, StringComparison.Ordinal)) continue;
            string name = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (name.StartsWith(prefix, StringComparison.Ordinal)) names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new BlobItem(name, new FileInfo(FinalPath(name)).Length, null);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken)
    {
        BlobNames.Validate(blobName);
        string path = FinalPath(blobName);
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    internal string FinalPath(string blobName) => Path.Combine(_root, blobName.Replace('/', Path.DirectorySeparatorChar));

    internal string StagingFolder(string blobName)
    {
        // One flat folder per blob: the name is hex-encoded so no blob name can collide or escape.
        string key = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(blobName));
        if (key.Length > 200) key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));
        return Path.Combine(_root, StagingFolderName, key);
    }

    internal void PublishAtomically(string tempFile, string blobName)
    {
        string final = FinalPath(blobName);
        string folder = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(folder);
        File.Move(tempFile, final, overwrite: true);
        // The rename is durable only once the folder entry is on disk too.
        FileSystemSync.FlushDirectory(folder);
    }

    private sealed class LocalBlockUpload(LocalFolderBlobSink sink, string blobName, string staging, StagedBlockList staged) : IBlockUpload
    {
        public string BlobName { get; } = blobName;

        public IReadOnlyList<StagedBlock> StagedBlocks => staged.Snapshot();

        public async Task StageBlockAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            string final = BlockPath(index);
            string temp = final + ".tmp";
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
            staged.Record(index, data.Length);
        }

        public async Task CommitAsync(int blockCount, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(blockCount);
            string temp = Path.Combine(staging, "commit-" + Guid.NewGuid().ToString("N") + ".tmp");
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                for (int i = 0; i < blockCount; i++)
                {
                    string block = BlockPath(i);
                    if (!File.Exists(block))
                    {
                        throw new BlobStorageException($"Cannot commit '{BlobName}': block {i} of {blockCount} was never staged.", isTransient: false);
                    }
                    await using var input = new FileStream(block, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
                output.Flush(flushToDisk: true);
            }
            sink.PublishAtomically(temp, BlobName);
            Directory.Delete(staging, recursive: true);
        }

        private string BlockPath(int index) => Path.Combine(staging, index.ToString("D8", CultureInfo.InvariantCulture) + ".blk");
    }
}
