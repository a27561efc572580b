using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Callbridge.Sip.Tests;

/// <summary>Runs the real sipp (Debian package sip-tester) on 127.0.0.1 and reports its exit code and output.</summary>
internal static class SippRunner
{
    public const string Binary = "/usr/bin/sipp";

    public static void RequireSipp()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException("sipp not found at /usr/bin/sipp: install the Debian package 'sip-tester'.");
    }

    public static int FreeUdpPort()
    {
        using var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        u.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)u.LocalEndPoint!).Port;
    }

    /// <summary>Waits until a socket is bound to the port (UDP) or listening on it (TCP), read from /proc/net.</summary>
    public static async Task WaitForPortAsync(int port, bool tcp, TimeSpan limit)
    {
        string hexPort = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            foreach (var line in File.ReadLines(tcp ? "/proc/net/tcp" : "/proc/net/udp").Skip(1))
            {
                var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cols.Length > 3 && cols[1].EndsWith(hexPort, StringComparison.Ordinal) && (!tcp || cols[3] == "0A")) return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"sipp did not bind port {port} within {limit}");
    }

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    public static Process Start(string arguments, string workDir)
    {
        RequireSipp();
        var psi = new ProcessStartInfo(Binary, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        return Process.Start(psi) ?? throw new InvalidOperationException("sipp did not start");
    }

    /// <summary>Waits for sipp; returns exit code and a log (stderr, and the error trace file if any).</summary>
    public static async Task<(int ExitCode, string Log)> WaitAsync(Process p, string workDir, TimeSpan limit)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        string traces = string.Join("\n", Directory.GetFiles(workDir, "*_errors.log").Select(File.ReadAllText));
        string tail = (await stdout);
        if (tail.Length > 3000) tail = tail[^3000..];
        return (p.ExitCode, (await stderr) + "\n" + traces + "\n" + tail);
    }

    public static string NewWorkDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "cb-sipp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
