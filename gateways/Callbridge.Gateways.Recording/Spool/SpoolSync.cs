using System.Runtime.InteropServices;
using Callbridge.Storage.Local;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Recording.Spool;

/// <summary>
/// Puts what every recording of this process wrote to its spool on disk, at most once per interval, with one
/// syncfs(2) of the spool's file system instead of one fsync(2) per track cluster.
/// </summary>
/// <remarks>
/// A cluster is written to its file when it closes, so a killed process loses only the cluster being assembled;
/// what this adds is survival of a power loss or a kernel crash. One fsync per cluster costs a journal commit and a
/// small write per track every second (about 200 a second at 100 participants, about an eighth of the recorder's
/// CPU in a profile); one syncfs a second commits every track's clusters together. A spool that shares its file system with
/// other busy writers also syncs theirs: give it its own volume where that matters.
/// Recordings call <see cref="MarkWritten"/> after writing and <see cref="SyncIfDue"/> from their ticks, on their
/// own loops; the first loop to find the interval elapsed does the sync, the others go on.
/// </remarks>
internal sealed partial class SpoolSync
{
    private readonly string _root;
    private readonly long _intervalTicks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long _lastSync;
    private int _dirty;
    private long _syncs;
    private long _failures;

    public SpoolSync(string root, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _root = root;
        _time = time;
        _logger = logger;
        _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        _lastSync = time.GetTimestamp();
    }

    /// <summary>syncfs calls made so far.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>syncfs calls the OS refused (each logged).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Something was written to a spool file since the last sync.</summary>
    public void MarkWritten() => Volatile.Write(ref _dirty, 1);

    /// <summary>Syncs when something was written and the interval has passed since the last sync; true when it synced.</summary>
    public bool SyncIfDue()
    {
        if (Volatile.Read(ref _dirty) == 0 || _time.GetTimestamp() - Interlocked.Read(ref _lastSync) < _intervalTicks) return false;
        // A loop that finds another one syncing leaves the work to it.
        if (!_gate.TryEnter()) return false;
        try
        {
            return SyncHeld();
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Returns once everything written before the call is on disk (a recording about to seal its spool): waits for
    /// a sync under way, then syncs if anything is still unsynced. False when there was nothing to sync.
    /// </summary>
    public bool SyncNow()
    {
        lock (_gate)
        {
            return SyncHeld();
        }
    }

    private bool SyncHeld()
    {
        if (Volatile.Read(ref _dirty) == 0) return false;
        // Cleared before the call: a write that lands during it is picked up by the next one.
        Volatile.Write(ref _dirty, 0);
        if (!FileSystemSync.SyncFileSystemOf(_root))
        {
            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _dirty, 1);
            LogSyncFailed(_logger, _root, Marshal.GetLastPInvokeError());
        }
        Interlocked.Increment(ref _syncs);
        Interlocked.Exchange(ref _lastSync, _time.GetTimestamp());
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording spool {Root}: syncfs failed (errno {Errno}); what was written may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, string root, int errno);
}
