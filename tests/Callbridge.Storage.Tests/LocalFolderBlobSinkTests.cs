using System.Text;
using Callbridge.Storage.Local;

namespace Callbridge.Storage.Tests;

public sealed class LocalFolderBlobSinkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cb-blobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Put_get_list_delete_round_trip()
    {
        var sink = new LocalFolderBlobSink(_root);
        await sink.PutAsync("conf-1/manifest.json", "{\"a\":1}"u8.ToArray(), "application/json", default);
        await sink.PutAsync("conf-2/manifest.json", "{}"u8.ToArray(), "application/json", default);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await sink.GetAsync("conf-1/manifest.json", default))!));
        var listed = await sink.ListAsync("conf-1/", default).ToListAsync();
        Assert.Equal(["conf-1/manifest.json"], listed.Select(b => b.Name));
        Assert.Equal(7, listed[0].Length);

        Assert.True(await sink.DeleteAsync("conf-1/manifest.json", default));
        Assert.False(await sink.DeleteAsync("conf-1/manifest.json", default));
        Assert.Null(await sink.GetAsync("conf-1/manifest.json", default));
    }

    [Fact]
    public async Task Staged_blocks_are_invisible_until_commit_and_resume_after_reopen()
    {
        var sink = new LocalFolderBlobSink(_root);
        IBlockUpload upload = await sink.OpenUploadAsync("rec/a.ogg", "audio/ogg", default);
        await upload.StageBlockAsync(0, "hello "u8.ToArray(), default);
        await upload.StageBlockAsync(1, "world"u8.ToArray(), default);

        Assert.Empty(await sink.ListAsync("", default).ToListAsync());
        Assert.Null(await sink.GetAsync("rec/a.ogg", default));

        // A new sink instance (a restarted process) sees what the old one staged.
        var restarted = new LocalFolderBlobSink(_root);
        IBlockUpload resumed = await restarted.OpenUploadAsync("rec/a.ogg", "audio/ogg", default);
        Assert.Equal([new StagedBlock(0, 6), new StagedBlock(1, 5)], resumed.StagedBlocks);
        await resumed.StageBlockAsync(2, "!"u8.ToArray(), default);
        await resumed.CommitAsync(3, default);

        Assert.Equal("hello world!", Encoding.UTF8.GetString((await restarted.GetAsync("rec/a.ogg", default))!));
        Assert.Equal(["rec/a.ogg"], (await restarted.ListAsync("", default).ToListAsync()).Select(b => b.Name));
    }

    [Fact]
    public async Task Commit_with_a_missing_block_fails_and_publishes_nothing()
    {
        var sink = new LocalFolderBlobSink(_root);
        IBlockUpload upload = await sink.OpenUploadAsync("x.bin", "application/octet-stream", default);
        await upload.StageBlockAsync(0, new byte[] { 1 }, default);
        var error = await Assert.ThrowsAsync<BlobStorageException>(() => upload.CommitAsync(2, default));
        Assert.False(error.IsTransient);
        Assert.Contains("block 1", error.Message, StringComparison.Ordinal);
        Assert.Null(await sink.GetAsync("x.bin", default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("trailing/")]
    [InlineData("back\\slash")]
    [InlineData(".staging/x")]
    public async Task Names_that_could_escape_or_collide_are_refused(string name)
    {
        var sink = new LocalFolderBlobSink(_root);
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => sink.PutAsync(name, new byte[] { 1 }, "x/y", default));
    }

    [Fact]
    public async Task Growing_file_upload_stages_whole_blocks_while_the_file_grows_and_resumes()
    {
        var sink = new LocalFolderBlobSink(_root);
        string spool = Path.Combine(_root, "..", "spool-" + Guid.NewGuid().ToString("N"));
        var expected = new byte[10_000];
        new Random(7).NextBytes(expected);
        try
        {
            await using (var writer = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.Read))
            {
                GrowingFileUpload upload = await GrowingFileUpload.OpenAsync(sink, spool, "rec/growing.bin", "application/octet-stream", blockSize: 1024);
                writer.Write(expected, 0, 2500);
                writer.Flush();
                Assert.Equal(2, await upload.PumpAsync(default)); // 2 whole blocks, 452 bytes wait
                writer.Write(expected, 2500, 1000);
                writer.Flush();
                Assert.Equal(1, await upload.PumpAsync(default));
                Assert.Null(await sink.GetAsync("rec/growing.bin", default));
                writer.Write(expected, 3500, expected.Length - 3500);
            }

            // As after a crash: a fresh upload object finds the three staged blocks and does not resend them.
            GrowingFileUpload resumed = await GrowingFileUpload.OpenAsync(sink, spool, "rec/growing.bin", "application/octet-stream", blockSize: 1024);
            Assert.Equal(3, resumed.ResumedBlockCount);
            Assert.Equal(expected.Length, await resumed.CompleteAsync(default));
            Assert.Equal(expected, await sink.GetAsync("rec/growing.bin", default));
        }
        finally
        {
            File.Delete(spool);
        }
    }
}
