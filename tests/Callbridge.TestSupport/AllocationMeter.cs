namespace Callbridge.TestSupport;

/// <summary>
/// Bytes a hot path allocates on the calling thread, measured so that only the path's own allocations count.
/// A pass is first run until the runtime has settled (tiered compilation replaces a method after about 30 calls,
/// on a background thread, some 100 ms later; the first pass also fills caches and statics), then measured several
/// times; the least of those measurements is returned. An allocation the path makes per call shows in every pass,
/// so it can never be hidden this way; a one-off allocation of the runtime's own (a method promoted mid-pass) shows
/// in one pass only.
/// </summary>
public static class AllocationMeter
{
    public static long LeastBytesPerPass(Action pass, int passes = 5)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        for (int i = 0; i < 3; i++)
        {
            pass();
        }

        // Lets a promotion the warm-up triggered finish before the measured passes.
        Thread.Sleep(200);
        long least = long.MaxValue;
        for (int i = 0; i < passes; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
