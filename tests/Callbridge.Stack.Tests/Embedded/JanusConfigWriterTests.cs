using System.Net;
using Callbridge.Janus.Embedded;
using Callbridge.TestSupport;

namespace Callbridge.Stack.Tests.Embedded;

/// <summary>The generated Janus configuration: what is bound where, what is loaded, what is off.</summary>
public sealed class JanusConfigWriterTests
{
    private static JanusConfigLayout Write(int wsPort = 0) => JanusConfigWriter.Write(new JanusServerOptions
    {
        WorkFolder = TestEnvironment.NewFolder("janus-config-test"),
        BindAddress = IPAddress.Loopback,
        IceInterface = "cb0",
        WebSocketPort = wsPort,
    });

    [Fact]
    public void Main_config_binds_the_interface_limits_ice_and_disables_what_is_unused()
    {
        var layout = Write();
        var main = File.ReadAllText(layout.MainConfigPath);

        Assert.Contains("interface = \"127.0.0.1\"", main, StringComparison.Ordinal);
        Assert.Contains("ice_enforce_list = \"cb0\"", main, StringComparison.Ordinal);
        Assert.Contains($"rtp_port_range = \"{layout.RtpPortMin}-{layout.RtpPortMax}\"", main, StringComparison.Ordinal);
        Assert.Equal(199, layout.RtpPortMax - layout.RtpPortMin);
        Assert.Contains("broadcast = false", main, StringComparison.Ordinal);
        Assert.Contains($"configs_folder = \"{layout.Folder}\"", main, StringComparison.Ordinal);
        var disabledPlugins = main.Split('\n').Single(l => l.Contains("disable = \"libjanus_audiobridge", StringComparison.Ordinal) || (l.Contains("disable", StringComparison.Ordinal) && l.Contains("libjanus_streaming.so", StringComparison.Ordinal)));
        foreach (var off in new[] { "streaming", "sip", "nosip", "voicemail", "recordplay", "lua", "duktape", "videocall", "textroom" })
        {
            Assert.Contains($"libjanus_{off}.so", disabledPlugins, StringComparison.Ordinal);
        }

        foreach (var on in new[] { "videoroom", "audiobridge", "echotest" })
        {
            Assert.DoesNotContain($"libjanus_{on}.so", disabledPlugins, StringComparison.Ordinal);
        }

        Assert.Contains("disable = \"libjanus_rabbitmq.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so\"", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_media_threads_and_a_larger_port_range_are_written_only_when_asked_for()
    {
        var main = File.ReadAllText(Write().MainConfigPath);
        Assert.DoesNotContain("event_loops", main, StringComparison.Ordinal);

        var layout = JanusConfigWriter.Write(new JanusServerOptions
        {
            WorkFolder = TestEnvironment.NewFolder("janus-config-test"),
            BindAddress = IPAddress.Loopback,
            EventLoops = 2,
            RtpPortCount = 500,
        });
        main = File.ReadAllText(layout.MainConfigPath);
        Assert.Contains("  event_loops = 2\n", main, StringComparison.Ordinal);
        Assert.Equal(499, layout.RtpPortMax - layout.RtpPortMin);

        var refused = Assert.Throws<JanusServerException>(() => JanusConfigWriter.Write(new JanusServerOptions
        {
            WorkFolder = TestEnvironment.NewFolder("janus-config-test"),
            BindAddress = IPAddress.Loopback,
            EventLoops = -1,
        }));
        Assert.Equal(JanusServerError.ConfigInvalid, refused.Error);
    }

    [Fact]
    public void Transports_bind_the_address_on_distinct_ports_with_admin_off()
    {
        var layout = Write();
        var http = File.ReadAllText(Path.Combine(layout.Folder, "janus.transport.http.jcfg"));
        var ws = File.ReadAllText(Path.Combine(layout.Folder, "janus.transport.websockets.jcfg"));

        Assert.Contains($"port = {layout.HttpPort}", http, StringComparison.Ordinal);
        Assert.Contains("ip = \"127.0.0.1\"", http, StringComparison.Ordinal);
        Assert.Contains("admin_http = false", http, StringComparison.Ordinal);
        Assert.Contains($"ws_port = {layout.WebSocketPort}", ws, StringComparison.Ordinal);
        Assert.Contains("ws_ip = \"127.0.0.1\"", ws, StringComparison.Ordinal);
        Assert.Contains("admin_ws = false", ws, StringComparison.Ordinal);
        Assert.NotEqual(layout.HttpPort, layout.WebSocketPort);
        Assert.Equal(new Uri($"http://127.0.0.1:{layout.HttpPort}/janus"), layout.HttpUri);
    }

    [Fact]
    public void Admin_api_is_off_by_default_and_served_with_its_secret_on_the_same_address_when_asked()
    {
        var off = Write();
        Assert.Null(off.AdminHttpPort);
        Assert.Null(off.AdminUri);
        Assert.DoesNotContain("admin_secret", File.ReadAllText(off.MainConfigPath), StringComparison.Ordinal);

        var on = JanusConfigWriter.Write(new JanusServerOptions
        {
            WorkFolder = TestEnvironment.NewFolder("janus-config-test"),
            BindAddress = IPAddress.Loopback,
            AdminSecret = "bench-4f2a",
        });
        var main = File.ReadAllText(on.MainConfigPath);
        var http = File.ReadAllText(Path.Combine(on.Folder, "janus.transport.http.jcfg"));
        var admin = http[http.IndexOf("admin: {", StringComparison.Ordinal)..];

        Assert.Contains("admin_secret = \"bench-4f2a\"", main, StringComparison.Ordinal);
        Assert.NotNull(on.AdminHttpPort);
        Assert.NotEqual(on.HttpPort, on.AdminHttpPort);
        Assert.Contains("admin_http = true", admin, StringComparison.Ordinal);
        Assert.Contains($"admin_port = {on.AdminHttpPort}", admin, StringComparison.Ordinal);
        Assert.Contains("admin_ip = \"127.0.0.1\"", admin, StringComparison.Ordinal);
        Assert.Contains("admin_base_path = \"/admin\"", admin, StringComparison.Ordinal);
        Assert.Contains("admin_https = false", admin, StringComparison.Ordinal);
        Assert.Equal(new Uri($"http://127.0.0.1:{on.AdminHttpPort}/admin"), on.AdminUri);
        var error = Assert.Throws<JanusServerException>(() => JanusConfigWriter.Write(new JanusServerOptions
        {
            WorkFolder = TestEnvironment.NewFolder("janus-config-test"),
            BindAddress = IPAddress.Loopback,
            AdminSecret = "a\"b",
        }));
        Assert.Equal(JanusServerError.ConfigInvalid, error.Error);
    }

    [Fact]
    public void Websocket_transport_can_be_disabled()
    {
        var layout = Write(wsPort: -1);
        var main = File.ReadAllText(layout.MainConfigPath);

        Assert.Null(layout.WebSocketUri);
        Assert.Contains("libjanus_pfunix.so,libjanus_websockets.so\"", main, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(layout.Folder, "janus.transport.websockets.jcfg")));
    }

    [Fact]
    public void Plugin_configs_keep_general_settings_and_drop_demo_rooms()
    {
        const string installed = "general: {\n\t#admin_key = \"x\"\n\tstring_ids = false\n}\n\nroom-1234: {\n\tdescription = \"Demo Room\" # a comment with { brace\n\tsecret = \"adminpwd\"\n}\nroom-5678: {\n\tnested: { a = 1 }\n}\n";

        var kept = JanusConfigWriter.KeepGeneralBlock(installed);

        Assert.Equal("general: {\n\t#admin_key = \"x\"\n\tstring_ids = false\n}\n", kept);
    }

    [Fact]
    public void Generated_videoroom_config_has_no_demo_rooms()
    {
        var layout = Write();
        var videoroom = File.ReadAllText(Path.Combine(layout.Folder, "janus.plugin.videoroom.jcfg"));

        Assert.StartsWith("general", videoroom.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("room-1234", videoroom, StringComparison.Ordinal);
    }
}
