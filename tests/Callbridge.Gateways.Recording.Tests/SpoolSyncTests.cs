using Callbridge.Gateways.Recording.Spool;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The spool's one sync for all recordings: when it syncs, when it does not, and what a refusal leaves.</summary>
public sealed class SpoolSyncTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cb-spoolsync-");

    [Fact]
    public void Nothing_written_means_no_sync_however_long_ago_the_last_one_was()
    {
        var sync = new SpoolSync(_root.FullName, TimeSpan.FromTicks(1), TimeProvider.System, NullLogger.Instance);
        Thread.Sleep(5);

        Assert.False(sync.SyncIfDue());
        Assert.False(sync.SyncNow());
        Assert.Equal(0, sync.Syncs);
    }

    [Fact]
    public void A_write_is_synced_once_when_the_interval_has_passed_and_not_before()
    {
        var hourly = new SpoolSync(_root.FullName, TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        hourly.MarkWritten();
        Assert.False(hourly.SyncIfDue());

        var eager = new SpoolSync(_root.FullName, TimeSpan.FromTicks(1), TimeProvider.System, NullLogger.Instance);
        eager.MarkWritten();
        Thread.Sleep(5);
        Assert.True(eager.SyncIfDue());
        Assert.False(eager.SyncIfDue());
        Assert.Equal(1, eager.Syncs);
        Assert.Equal(0, eager.Failures);
    }

    [Fact]
    public void A_seal_syncs_at_once_whatever_the_interval()
    {
        var sync = new SpoolSync(_root.FullName, TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        sync.MarkWritten();

        Assert.True(sync.SyncNow());
        Assert.Equal(1, sync.Syncs);
        Assert.False(sync.SyncNow());
        Assert.Equal(0, sync.Failures);
    }

    [Fact]
    public void A_refused_sync_is_counted_and_the_writes_stay_due()
    {
        var sync = new SpoolSync(Path.Combine(_root.FullName, "missing"), TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        sync.MarkWritten();

        Assert.True(sync.SyncNow());
        Assert.Equal(1, sync.Failures);
        Assert.True(sync.SyncNow());
        Assert.Equal(2, sync.Failures);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
