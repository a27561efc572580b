using System.Globalization;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>CPU time of a process and of its threads from /proc (utime, stime), in seconds.</summary>
internal static class ProcessCpu
{
    /// <summary>USER_HZ: the unit of the stat fields; 100 on every Linux ABI .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User and system CPU seconds of process <paramref name="pid"/>, all its threads.</summary>
    public static (double User, double System) Seconds(int pid) => Read($"/proc/{pid}/stat").Cpu;

    /// <summary>CPU seconds per thread name (thread pool workers, timers, socket engine...) of this process.</summary>
    public static Dictionary<string, double> ByThreadName()
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string task in Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"))
        {
            try
            {
                var (name, cpu) = Read(Path.Combine(task, "stat"));
                d[name] = d.GetValueOrDefault(name) + cpu.User + cpu.System;
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return d;
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static (string Name, (double User, double System) Cpu) Read(string path)
    {
        string stat = File.ReadAllText(path);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        string[] f = stat[(close + 2)..].Split(' ');
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        long utime = long.Parse(f[11], CultureInfo.InvariantCulture);
        long stime = long.Parse(f[12], CultureInfo.InvariantCulture);
        return (stat[(open + 1)..close], (utime / TicksPerSecond, stime / TicksPerSecond));
    }
}
