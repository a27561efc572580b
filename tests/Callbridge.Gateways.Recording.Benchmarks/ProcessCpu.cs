using System.Globalization;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// CPU time a process used (user + system, all threads), from /proc/PID/stat (proc(5): fields 14 and 15,
/// in clock ticks). CPU time, unlike wall time, is not inflated by other processes on a loaded machine.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>USER_HZ: 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>CPU time per thread name (comm), summed over threads of that name: where a process spends it.</summary>
    public static Dictionary<string, TimeSpan> ByThreadName(int pid)
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                string name = stat[(open + 1)..close];
                string[] fields = stat[(close + 2)..].Split(' ');
                var cpu = TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
                result[name] = result.GetValueOrDefault(name) + cpu;
            }
            catch (IOException)
            {
                // The thread ended while listed.
            }
        }

        return result;
    }

    /// <summary>The threads that used the most CPU between two <see cref="ByThreadName"/> samples, as "name: seconds" (threads that ended in between are not seen).</summary>
    public static string Busiest(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, int top = 6) =>
        string.Join(", ", after.Select(a => (a.Key, Used: a.Value - before.GetValueOrDefault(a.Key))).OrderByDescending(a => a.Used).Take(top)
            .Select(a => FormattableString.Invariant($"{a.Key}: {a.Used.TotalSeconds:F2} s")));

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
}
