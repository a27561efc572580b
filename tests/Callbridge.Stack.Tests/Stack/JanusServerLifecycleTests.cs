using Callbridge.Janus.Embedded;
using Callbridge.TestSupport;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>A private Janus starts ready and stops completely.</summary>
public sealed class JanusServerLifecycleTests
{
    [Fact]
    public async Task Started_server_answers_and_is_gone_after_stop()
    {
        TestEnvironment.RequireNetns(nameof(JanusServerLifecycleTests));
        var server = await JanusServer.StartAsync(new JanusServerOptions
        {
            WorkFolder = TestEnvironment.NewFolder("janus-lifecycle"),
            BindAddress = TestEnvironment.TestIp,
            IceInterface = TestEnvironment.TestInterface,
            WebSocketPort = -1,
        });
        var pid = server.ProcessId;

        Assert.Equal(1102, server.Info.Version);
        Assert.Equal(["janus.transport.http"], server.Info.Transports);
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await server.DisposeAsync();

        Assert.True(server.HasExited);
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(server.HttpUri, "/janus/info")));
        // SIGTERM gives Janus its clean shutdown, which ends the log with "Bye!".
        var log = ChildProcess.Tail(server.LogPath, 400);
        Assert.Contains("Starting Meetecho Janus (WebRTC Server) v1.1.2", log, StringComparison.Ordinal);
        Assert.EndsWith("Bye!", log.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_executable_is_a_typed_error_naming_the_package()
    {
        var ex = await Assert.ThrowsAsync<JanusServerException>(() => JanusServer.StartAsync(new JanusServerOptions
        {
            Executable = "/usr/bin/janus-not-installed",
            WorkFolder = TestEnvironment.NewFolder("janus-missing"),
            BindAddress = System.Net.IPAddress.Loopback,
        }));

        Assert.Equal(JanusServerError.ExecutableMissing, ex.Error);
        Assert.Contains("janus", ex.Message, StringComparison.Ordinal);
    }
}
