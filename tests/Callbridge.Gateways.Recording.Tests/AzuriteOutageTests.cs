using Callbridge.Conference;
using Callbridge.Storage;
using Callbridge.Storage.Azure;
using Callbridge.TestSupport.Azurite;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The recording's uploads to Azure Blob (Azurite) through a 20 s storage outage. Needs scripts/test-in-netns.sh.</summary>
[Collection(RealMediaCollection.Name)]
public sealed class AzuriteOutageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset AliceClock = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Uploads_finish_after_a_20_s_outage_byte_for_byte_and_nothing_partial_is_ever_final()
    {
        var sink = new AzureBlobSink(new AzureBlobRestClient(_http, azurite.BlobEndpoint, "rec-" + Guid.NewGuid().ToString("N")[..12],
            new SharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey)));
        var (audio, video) = await Media.BeepFlashAsync();
        var h = new Harness(sink: sink, configure: o => o.UploadRetryWindow = TimeSpan.FromMinutes(3));
        IGateway gateway = await h.StartAsync();
        h.Session.Join("alice", "Alice", ("a", TrackKind.Audio, "opus"), ("v", TrackKind.Video, "vp8"));
        // 36 s of media (the clip six times), so the audio file passes a 64 KiB block while recording with room
        // to spare (24 s came within a frame of it: the last frame of a stream waits for the next one).
        TimeSpan clip = TimeSpan.FromSeconds(Media.Seconds);
        for (int loop = 0; loop < 6; loop++)
        {
            foreach (EncodedFrame f in audio) h.Send("alice/a", f with { Time = f.Time + clip * loop }, TimeSpan.Zero, AliceClock, video: false);
            foreach (EncodedFrame f in video) h.Send("alice/v", f with { Time = f.Time + clip * loop }, TimeSpan.Zero, AliceClock, video: true);
        }
        string audioBlob = Harness.Prefix() + "/tracks/000-alice-audio.webm";
        await RecordingGatewayTests.WaitUntilAsync(() =>
            sink.OpenUploadAsync(audioBlob, "audio/webm", default).GetAwaiter().GetResult().StagedBlocks.Count > 0, timeoutMs: 15_000);
        // Staged while recording, yet nothing is visible as a blob.
        Assert.Empty(await sink.ListAsync(Harness.Prefix(), default).ToListAsync());

        await azurite.StopAsync();
        Task<GatewayOutcome> stopping = gateway.StopAsync(default);
        await Task.Delay(TimeSpan.FromSeconds(20));
        Assert.False(stopping.IsCompleted, "the recording cannot be finished while its store is down");
        await azurite.RestartAsync();
        GatewayOutcome outcome = await stopping.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Contains(Harness.Prefix() + "/composite.webm", outcome.Outputs);
        List<BlobItem> listed = await sink.ListAsync(Harness.Prefix(), default).ToListAsync();
        Assert.Equal(outcome.Outputs.Order(StringComparer.Ordinal), listed.Select(b => b.Name).Order(StringComparer.Ordinal));
        string spool = Path.Combine(h.Options.SpoolFolder, "rec-1");
        foreach (string blob in outcome.Outputs)
        {
            byte[] local = await File.ReadAllBytesAsync(Path.Combine(spool, Path.GetFileName(blob)));
            Assert.Equal(local, await sink.GetAsync(blob, default));
        }
    }
}
