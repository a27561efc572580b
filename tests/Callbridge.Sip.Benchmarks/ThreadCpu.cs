using System.Runtime.InteropServices;

namespace Callbridge.Sip.Benchmarks;

/// <summary>CPU time of the calling thread (clock_gettime CLOCK_THREAD_CPUTIME_ID): what other processes on a
/// shared machine cannot inflate, unlike wall time.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc.so.6", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static double Seconds()
    {
        if (ClockGetTime(ClockThreadCpuTime, out TimeSpec t) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return t.Seconds + (t.Nanoseconds / 1e9);
    }
}
