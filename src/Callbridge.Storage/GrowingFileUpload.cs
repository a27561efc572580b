namespace Callbridge.Storage;

/// <summary>
/// Uploads a local file while it is still being written: every time <see cref="PumpAsync"/> runs,
/// each whole block now on disk that is not yet staged goes up; <see cref="CompleteAsync"/> sends the
/// tail and commits. Opened again after a crash, it skips blocks the store already holds, so an upload
/// resumes where it stopped instead of starting over.
/// </summary>
/// <remarks>
/// Invariant: blocks 0..<c>_nextBlock</c>-1 are staged with exactly <see cref="BlockSize"/> bytes each.
/// Only the final block may be shorter, and it is staged only by <see cref="CompleteAsync"/>.
/// </remarks>
public sealed class GrowingFileUpload
{
    /// <summary>Default block size: large enough to keep request overhead small, small enough that a
    /// crash loses little staged work.</summary>
    public const int DefaultBlockSize = 4 * 1024 * 1024;

    private readonly IBlockUpload _upload;
    private readonly string _path;

    // Allocated with the first block read: a recorder opens an upload per track at once, and an audio track
    // takes minutes to fill a block, so hundreds of idle block buffers would otherwise sit in memory.
    private byte[]? _buffer;
    private int _nextBlock;

    private GrowingFileUpload(IBlockUpload upload, string path, int blockSize)
    {
        _upload = upload;
        _path = path;
        BlockSize = blockSize;
        // Resume: count the leading run of full-size blocks the store already has.
        var staged = upload.StagedBlocks.ToDictionary(b => b.Index, b => b.Length);
        while (staged.TryGetValue(_nextBlock, out long length) && length == blockSize) _nextBlock++;
        ResumedBlockCount = _nextBlock;
    }

    public int BlockSize { get; }

    /// <summary>Blocks already staged, including those found when resuming.</summary>
    public int StagedBlockCount => _nextBlock;

    /// <summary>How many of the staged blocks were found already staged when the upload was opened.</summary>
    public int ResumedBlockCount { get; }

    public static async Task<GrowingFileUpload> OpenAsync(IBlobSink sink, string localPath, string blobName, string contentType,
        int blockSize = DefaultBlockSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        IBlockUpload upload = await sink.OpenUploadAsync(blobName, contentType, cancellationToken).ConfigureAwait(false);
        return new GrowingFileUpload(upload, localPath, blockSize);
    }

    /// <summary>Stages every whole block now in the file; returns how many it staged.</summary>
    public async Task<int> PumpAsync(CancellationToken cancellationToken)
    {
        int before = _nextBlock;
        await using var file = OpenShared();
        while (file.Length >= (long)(_nextBlock + 1) * BlockSize)
        {
            byte[] block = await ReadBlockAsync(file, _nextBlock, BlockSize, cancellationToken).ConfigureAwait(false);
            await _upload.StageBlockAsync(_nextBlock, block, cancellationToken).ConfigureAwait(false);
            _nextBlock++;
        }
        return _nextBlock - before;
    }

    /// <summary>The file is final: stages the rest, commits, and returns the blob's length.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        await PumpAsync(cancellationToken).ConfigureAwait(false);
        long length;
        int blockCount = _nextBlock;
        await using (var file = OpenShared())
        {
            length = file.Length;
            int tail = (int)(length - (long)_nextBlock * BlockSize);
            if (tail > 0)
            {
                byte[] block = await ReadBlockAsync(file, _nextBlock, tail, cancellationToken).ConfigureAwait(false);
                await _upload.StageBlockAsync(_nextBlock, block.AsMemory(0, tail), cancellationToken).ConfigureAwait(false);
                blockCount++;
            }
        }
        await _upload.CommitAsync(blockCount, cancellationToken).ConfigureAwait(false);
        return length;
    }

    private FileStream OpenShared() =>
        new(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);

    private async Task<byte[]> ReadBlockAsync(FileStream file, int index, int count, CancellationToken ct)
    {
        if (_buffer is null || _buffer.Length < count)
        {
            _buffer = new byte[count];
        }
        file.Position = (long)index * BlockSize;
        await file.ReadExactlyAsync(_buffer.AsMemory(0, count), ct).ConfigureAwait(false);
        return _buffer;
    }
}
