using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests;

/// <summary>
/// The README's main job as a newcomer runs it: the built host on its embedded defaults starts a
/// real Janus, reports ready, and on Ctrl-C (SIGINT) stops itself and the Janus it started.
/// </summary>
public sealed partial class MainJobTests(ITestOutputHelper output)
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private const int SigInt = 2;

    [Fact]
    public async Task Host_starts_janus_reports_ready_and_stops_both_on_ctrl_c()
    {
        Assert.True(Environment.GetEnvironmentVariable("CALLBRIDGE_NETNS") == "1",
            "Run through scripts/test.sh: the host's embedded Janus needs the test network namespace.");
        string hostDll = typeof(Program).Assembly.Location;
        string contentRoot = Directory.CreateTempSubdirectory("cb-host-").FullName;
        File.Copy(Path.Combine(Path.GetDirectoryName(hostDll)!, "appsettings.json"), Path.Combine(contentRoot, "appsettings.json"));
        int port = FreeTcpPort();

        using var host = Process.Start(Console.HostProcess.Command(hostDll, port, contentRoot))!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            JsonElement ready = default;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(250);
            }
            Assert.True(ready.ValueKind == JsonValueKind.Object, "the host never reported ready:\n" + string.Join('\n', log));
            Assert.Equal("Healthy", ready.GetProperty("status").GetString());
            Assert.StartsWith("Janus 1.", ready.GetProperty("checks").GetProperty("janus").GetProperty("description").GetString(), StringComparison.Ordinal);

            // The newcomer's conferences: a plain demo room and one that requires E2EE.
            foreach (var (room, e2ee) in new[] { (1234, false), (4321, true) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/v1/conferences/{room}");
                request.Headers.Add("X-Api-Key", "local-development-key-change-me");
                using var response = await http.SendAsync(request);
                JsonElement conference = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.True(conference.GetProperty("exists").GetBoolean(), $"demo room {room} missing");
                Assert.Equal(e2ee, conference.GetProperty("requiresE2ee").GetBoolean());
            }

            int janusPid = FindJanusStartedUnder(contentRoot);
            Assert.True(janusPid > 0, "no janus process uses the host's work folder");

            Assert.Equal(0, Kill(host.Id, SigInt));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.WaitForExitAsync(exited.Token);
            Assert.Equal(0, host.ExitCode);
            Assert.False(IsRunning(janusPid), $"janus (pid {janusPid}) still runs after the host stopped");
        }
        finally
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
            output.WriteLine(string.Join('\n', log));
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static int FindJanusStartedUnder(string contentRoot)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.StartsWith("/usr/bin/janus", StringComparison.Ordinal) && cmdline.Contains(contentRoot, StringComparison.Ordinal)) return pid;
            }
            catch (IOException)
            {
            }
        }
        return -1;
    }

    // A zombie has exited too: only a live process has a state other than Z.
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
