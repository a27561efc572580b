using System.Net;
using Callbridge.Storage.Azure;
using Callbridge.TestSupport.Azurite;

namespace Callbridge.Storage.Tests;

/// <summary>The Azure Blob sink against a real Azure Blob endpoint (Azurite).</summary>
public sealed class AzuriteBlobSinkTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private readonly string _container = "rec-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => _http.Dispose();

    private AzureBlobSink Sink(AzureBlobCredential credential, BlobRetryOptions? retry = null) =>
        new(new AzureBlobRestClient(_http, azurite.BlobEndpoint, _container, credential, retry));

    private static SharedKeyCredential SharedKey => new(AzuriteFixture.AccountName, AzuriteFixture.AccountKey);

    [Fact]
    public async Task Growing_upload_is_invisible_until_commit_then_equals_the_file_byte_for_byte()
    {
        var sink = Sink(SharedKey);
        string spool = Path.GetTempFileName();
        var content = new byte[700_000];
        new Random(11).NextBytes(content);
        try
        {
            await File.WriteAllBytesAsync(spool, content[..300_000]);
            GrowingFileUpload upload = await GrowingFileUpload.OpenAsync(sink, spool, "conf-1/alice.ogg", "audio/ogg", blockSize: 128 * 1024);
            Assert.Equal(2, await upload.PumpAsync(default));
            Assert.Empty(await sink.ListAsync("conf-1/", default).ToListAsync());

            // A restarted process resumes from the two staged blocks instead of sending them again.
            await File.WriteAllBytesAsync(spool, content);
            GrowingFileUpload resumed = await GrowingFileUpload.OpenAsync(sink, spool, "conf-1/alice.ogg", "audio/ogg", blockSize: 128 * 1024);
            Assert.Equal(2, resumed.ResumedBlockCount);
            Assert.Equal(content.Length, await resumed.CompleteAsync(default));

            var listed = Assert.Single(await sink.ListAsync("conf-1/", default).ToListAsync());
            Assert.Equal(("conf-1/alice.ogg", (long)content.Length, "audio/ogg"), (listed.Name, listed.Length, listed.ContentType));
            Assert.Equal(content, await sink.GetAsync("conf-1/alice.ogg", default));
        }
        finally
        {
            File.Delete(spool);
        }
    }

    [Fact]
    public async Task Small_blobs_put_get_delete_and_missing_ones_are_null()
    {
        var sink = Sink(SharedKey);
        await sink.PutAsync("conf-2/manifest.json", "{\"ok\":true}"u8.ToArray(), "application/json", default);
        Assert.Equal("{\"ok\":true}"u8.ToArray(), await sink.GetAsync("conf-2/manifest.json", default));
        Assert.True(await sink.DeleteAsync("conf-2/manifest.json", default));
        Assert.Null(await sink.GetAsync("conf-2/manifest.json", default));
        Assert.False(await sink.DeleteAsync("conf-2/manifest.json", default));
    }

    [Fact]
    public async Task Account_sas_authorizes_and_a_read_only_sas_cannot_write()
    {
        await Sink(SharedKey).PutAsync("seed.txt", "x"u8.ToArray(), "text/plain", default);

        string readWrite = SharedKey.CreateAccountSas("rwdlc", "co", DateTimeOffset.UtcNow.AddHours(1));
        var sas = Sink(new SasCredential(readWrite));
        await sas.PutAsync("via-sas.txt", "hello"u8.ToArray(), "text/plain", default);
        Assert.Equal("hello"u8.ToArray(), await sas.GetAsync("via-sas.txt", default));
        Assert.Equal(["seed.txt", "via-sas.txt"], (await sas.ListAsync("", default).ToListAsync()).Select(b => b.Name).Order());

        string readOnly = SharedKey.CreateAccountSas("rl", "co", DateTimeOffset.UtcNow.AddHours(1));
        var error = await Assert.ThrowsAsync<BlobStorageException>(() =>
            Sink(new SasCredential(readOnly)).PutAsync("denied.txt", "no"u8.ToArray(), "text/plain", default));
        Assert.Equal((int)HttpStatusCode.Forbidden, error.HttpStatus);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain("sig=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_account_key_is_refused_as_non_transient()
    {
        var wrong = new SharedKeyCredential(AzuriteFixture.AccountName, Convert.ToBase64String(new byte[64]));
        var error = await Assert.ThrowsAsync<BlobStorageException>(() => Sink(wrong).PutAsync("x.txt", "x"u8.ToArray(), "text/plain", default));
        Assert.Equal((int)HttpStatusCode.Forbidden, error.HttpStatus);
        Assert.False(error.IsTransient);
    }
}

/// <summary>An Azure Blob outage in the middle of an upload (its own Azurite, since it is stopped and restarted).</summary>
public sealed class AzuriteOutageTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public Task Upload_rides_out_a_20_second_outage_and_the_blob_is_byte_identical() => Callbridge.TestSupport.FailureLogs.RunAsync(output, async () =>
    {
        var client = new AzureBlobRestClient(_http, _azurite.BlobEndpoint, "outage",
            new SharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey),
            new BlobRetryOptions { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2), MaxElapsed = TimeSpan.FromMinutes(2), AttemptTimeout = TimeSpan.FromSeconds(5) });
        var sink = new AzureBlobSink(client);
        string spool = Path.GetTempFileName();
        var content = new byte[1_000_000];
        new Random(20).NextBytes(content);
        try
        {
            await File.WriteAllBytesAsync(spool, content);
            GrowingFileUpload upload = await GrowingFileUpload.OpenAsync(sink, spool, "rec/outage.webm", "video/webm", blockSize: 100_000);
            // Half the blocks go up, then the store disappears.
            var half = new byte[500_000];
            Array.Copy(content, half, half.Length);
            await File.WriteAllBytesAsync(spool, half);
            Assert.Equal(5, await upload.PumpAsync(default));
            await File.WriteAllBytesAsync(spool, content);

            await _azurite.StopAsync();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            Task<long> completing = upload.CompleteAsync(default);
            await Task.Delay(TimeSpan.FromSeconds(20));
            Assert.False(completing.IsCompleted, "the upload finished while the store was down");
            await _azurite.RestartAsync();

            Assert.Equal(content.Length, await completing.WaitAsync(TimeSpan.FromSeconds(60)));
            output.WriteLine($"upload completed {stopwatch.Elapsed.TotalSeconds:0.0} s after the outage began");
            var listed = Assert.Single(await sink.ListAsync("rec/", default).ToListAsync());
            Assert.Equal(content.Length, listed.Length);
            Assert.Equal(content, await sink.GetAsync("rec/outage.webm", default));
        }
        finally
        {
            File.Delete(spool);
        }
    }, _azurite);
}
