using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Callbridge.Ice.Tests;

/// <summary>
/// A real Janus 1.1.2 (Debian package janus) started for the test run inside the private namespace,
/// bound to cb0/198.18.0.1 as test-stack.md describes, with only the HTTP transport, VideoRoom and
/// Streaming plugins.
/// </summary>
public sealed class JanusProcess : IAsyncLifetime
{
    private const string Binary = "/usr/bin/janus";
    private const string LibDir = "/usr/lib/x86_64-linux-gnu/janus";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cb-janus-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://{PrivateNetwork.Address}:8088/janus/"), Timeout = TimeSpan.FromSeconds(40) };

    public string LogPath => Path.Combine(_dir, "janus.log");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Binary), "Janus is missing: install the Debian package 'janus'.");
        PrivateNetwork.Ensure();
        Directory.CreateDirectory(_dir);
        WriteConfig();
        _process = Process.Start(new ProcessStartInfo(Binary, $"-F {_dir} -C {_dir}/janus.jcfg -L {LogPath}")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("janus did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await Http.GetAsync("info");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                Assert.Fail("Janus did not come up: " + (File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "no log"));
            }

            await Task.Delay(100);
        }
    }

    public async Task<long> CreateSessionAsync() => (long)(await PostAsync("", new JsonObject { ["janus"] = "create" }))["data"]!["id"]!;

    public async Task<long> AttachAsync(long session, string plugin) =>
        (long)(await PostAsync($"{session}", new JsonObject { ["janus"] = "attach", ["plugin"] = plugin }))["data"]!["id"]!;

    /// <summary>Sends a plugin message; returns the transaction to match the asynchronous event on.</summary>
    public async Task<string> MessageAsync(long session, long handle, JsonObject body, JsonObject? jsep = null)
    {
        var message = new JsonObject { ["janus"] = "message", ["body"] = body };
        if (jsep is not null)
        {
            message["jsep"] = jsep;
        }

        JsonObject reply = await PostAsync($"{session}/{handle}", message);
        Assert.True((string?)reply["janus"] is "ack" or "success", reply.ToJsonString());
        return (string)reply["transaction"]!;
    }

    /// <summary>Long-polls the session until an event for <paramref name="transaction"/> arrives.</summary>
    public async Task<JsonObject> WaitEventAsync(long session, string transaction)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            JsonNode? node = JsonNode.Parse(await Http.GetStringAsync($"{session}?maxev=5"));
            IEnumerable<JsonNode?> events = node is JsonArray array ? array : [node];
            foreach (JsonNode? e in events)
            {
                if (e is JsonObject o && (string?)o["transaction"] == transaction && (string?)o["janus"] == "event")
                {
                    return o;
                }
            }
        }

        Assert.Fail("No Janus event for transaction " + transaction);
        return null!;
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject message)
    {
        message["transaction"] = Guid.NewGuid().ToString("N")[..12];
        using HttpResponseMessage response = await Http.PostAsJsonAsync(path, message);
        response.EnsureSuccessStatusCode();
        var reply = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((string?)reply["janus"] != "error", reply.ToJsonString());
        return reply;
    }

    private void WriteConfig()
    {
        // Only what the tests use is loaded; ICE gathers on cb0 only (Janus skips loopback, test-stack.md).
        File.WriteAllText(Path.Combine(_dir, "janus.jcfg"), $$"""
            general: {
                configs_folder = "{{_dir}}"
                plugins_folder = "{{LibDir}}/plugins"
                transports_folder = "{{LibDir}}/transports"
                events_folder = "{{LibDir}}/events"
                loggers_folder = "{{LibDir}}/loggers"
                debug_level = 4
                interface = "{{PrivateNetwork.Address}}"
            }
            media: {
                rtp_port_range = "21000-21999"
            }
            nat: {
                ice_enforce_list = "{{PrivateNetwork.Interface}}"
                ignore_mdns = true
            }
            plugins: {
                disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so"
            }
            transports: {
                disable = "libjanus_websockets.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so"
            }
            loggers: {
                disable = "libjanus_jsonlog.so"
            }
            events: {
                broadcast = false
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "janus.transport.http.jcfg"), $$"""
            general: {
                base_path = "/janus"
                http = true
                port = 8088
                ip = "{{PrivateNetwork.Address}}"
                https = false
            }
            admin: {
                admin_http = false
                admin_https = false
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "janus.plugin.videoroom.jcfg"), """
            room-1234: {
                description = "Callbridge test room"
                publishers = 6
                audiocodec = "opus"
                videocodec = "vp8"
            }
            """);
        File.WriteAllText(Path.Combine(_dir, "janus.plugin.streaming.jcfg"), """
            cb-audio: {
                type = "rtp"
                id = 1
                description = "Callbridge test audio"
                audio = true
                video = false
                audioport = 25002
                audiopt = 111
                audiocodec = "opus"
                audiortpmap = "opus/48000/2"
            }
            """);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
