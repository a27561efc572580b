using System.Globalization;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Datagrams the kernel dropped at each process's UDP sockets (a full receive buffer), from the drops
/// column of /proc/net/udp (this network namespace's sockets) joined to each process's socket inodes: shows
/// whether frames were lost at Janus's sockets or at a receiver's.
/// </summary>
internal static class UdpDrops
{
    /// <summary>
    /// This network namespace's UDP counters (the "Udp:" lines of /proc/net/snmp, e.g. RcvbufErrors, SndbufErrors,
    /// InErrors): every socket of the bench, including ones already closed, since the namespace was made.
    /// </summary>
    public static Dictionary<string, long> Namespace()
    {
        string[] udp = [.. File.ReadLines("/proc/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal))];
        string[] names = udp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), values = udp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 1; i < names.Length && i < values.Length; i++) result[names[i]] = long.Parse(values[i], CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>Drops summed over the UDP sockets each of <paramref name="pids"/> holds now.</summary>
    public static Dictionary<int, long> ByProcess(IReadOnlyList<int> pids)
    {
        var dropsByInode = new Dictionary<long, long>();
        foreach (string file in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
                if (f.Length < 13) continue;
                if (long.TryParse(f[9], CultureInfo.InvariantCulture, out long inode) && long.TryParse(f[12], CultureInfo.InvariantCulture, out long drops))
                    dropsByInode[inode] = drops;
            }
        }

        var result = new Dictionary<int, long>();
        foreach (int pid in pids)
        {
            long sum = 0;
            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    string? target = new FileInfo(fd).LinkTarget;
                    // "socket:[12345]"
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)) continue;
                    if (long.TryParse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture, out long inode) && dropsByInode.TryGetValue(inode, out long d))
                        sum += d;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended or a descriptor closed while it was read: what was read counts.
            }

            result[pid] = sum;
        }

        return result;
    }
}
