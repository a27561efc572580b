using System.Globalization;

namespace Callbridge.TestSupport;

/// <summary>
/// CPU time a process used (user + system, all threads), from /proc/PID/stat (proc(5): fields 14 and 15, in
/// clock ticks). CPU time, unlike wall time, is not inflated by other processes on a loaded machine.
/// </summary>
public static class ProcessCpu
{
    /// <summary>USER_HZ: the unit of the stat fields; 100 on every Linux ABI .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User and system CPU seconds of process <paramref name="pid"/>, all its threads.</summary>
    public static (double User, double System) Seconds(int pid) => ReadStat($"/proc/{pid}/stat").Cpu;

    /// <summary>User + system CPU time of process <paramref name="pid"/>.</summary>
    public static TimeSpan Read(int pid)
    {
        var (user, system) = Seconds(pid);
        return TimeSpan.FromSeconds(user + system);
    }

    /// <summary>CPU time per thread name (comm), summed over threads of that name: where a process spends it.</summary>
    public static Dictionary<string, TimeSpan> ByThreadName(int pid)
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var (name, (user, system)) = ReadStat(Path.Combine(task, "stat"));
                result[name] = result.GetValueOrDefault(name) + TimeSpan.FromSeconds(user + system);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return result;
    }

    /// <summary>The threads that used the most CPU between two <see cref="ByThreadName"/> samples, as "name: seconds" (threads that ended in between are not seen).</summary>
    public static string Busiest(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, int top = 6) =>
        string.Join(", ", after.Select(a => (a.Key, Used: a.Value - before.GetValueOrDefault(a.Key))).OrderByDescending(a => a.Used).Take(top)
            .Select(a => FormattableString.Invariant($"{a.Key}: {a.Used.TotalSeconds:F2} s")));

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static (string Name, (double User, double System) Cpu) ReadStat(string path)
    {
        string stat = File.ReadAllText(path);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        string[] fields = stat[(close + 2)..].Split(' ');
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (stat[(open + 1)..close], (utime / TicksPerSecond, stime / TicksPerSecond));
    }
}
