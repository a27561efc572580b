using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Callbridge.Storage.Azure;

/// <summary>
/// Azure Blob as a sink. Blocks are named by their index ("blk-00000012", base64) so that a restarted
/// upload can read the uncommitted block list and know which parts are already there.
/// </summary>
public sealed class AzureBlobSink(AzureBlobRestClient client) : IBlobSink
{
    private int _containerReady;

    public string Description => "azure:" + client.ContainerUri.GetLeftPart(UriPartial.Path);

    public async Task<IBlockUpload> OpenUploadAsync(string blobName, string contentType, CancellationToken cancellationToken)
    {
        BlobNames.Validate(blobName);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var staged = new StagedBlockList();
        foreach (var (id, size) in await client.GetUncommittedBlocksAsync(blobName, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseBlockId(id, out int index)) staged.Record(index, size);
        }
        return new AzureBlockUpload(client, blobName, contentType, staged);
    }

    public async Task PutAsync(string blobName, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await client.PutBlobAsync(blobName, content, contentType, cancellationToken).ConfigureAwait(false);
    }

    public Task<byte[]?> GetAsync(string blobName, CancellationToken cancellationToken) => client.GetBlobAsync(blobName, cancellationToken);

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        await foreach (BlobItem item in client.ListBlobsAsync(prefix, cancellationToken).ConfigureAwait(false)) yield return item;
    }

    public Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken) => client.DeleteBlobAsync(blobName, cancellationToken);

    internal static string BlockId(int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("blk-" + index.ToString("D8", CultureInfo.InvariantCulture)));

    internal static bool TryParseBlockId(string id, out int index)
    {
        index = -1;
        Span<byte> raw = stackalloc byte[32];
        if (!Convert.TryFromBase64String(id, raw, out int written) || written != 12) return false;
        string text = Encoding.ASCII.GetString(raw[..written]);
        return text.StartsWith("blk-", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _containerReady) == 1) return;
        await client.CreateContainerIfMissingAsync(ct).ConfigureAwait(false);
        Volatile.Write(ref _containerReady, 1);
    }

    private sealed class AzureBlockUpload(AzureBlobRestClient client, string blobName, string contentType, StagedBlockList staged) : IBlockUpload
    {
        public string BlobName { get; } = blobName;

        public IReadOnlyList<StagedBlock> StagedBlocks => staged.Snapshot();

        public async Task StageBlockAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            await client.PutBlockAsync(BlobName, BlockId(index), data, cancellationToken).ConfigureAwait(false);
            staged.Record(index, data.Length);
        }

        public Task CommitAsync(int blockCount, CancellationToken cancellationToken) =>
            client.PutBlockListAsync(BlobName, Enumerable.Range(0, blockCount).Select(BlockId), contentType, cancellationToken);
    }
}
