using System.Globalization;
using System.Net;
using System.Text;

namespace Callbridge.Janus.Embedded;

/// <summary>
/// Writes a per-run Janus configuration folder (libconfig "jcfg" syntax): only the wanted plugins
/// and the HTTP/WebSocket transports, both bound to one address, event handlers off, and the admin API
/// off unless <see cref="JanusServerOptions.AdminSecret"/> asks for it (then on HTTP, same address).
/// </summary>
public static class JanusConfigWriter
{
    private static readonly string[] UnusedTransports = ["rabbitmq", "mqtt", "nanomsg", "pfunix"];

    public static JanusConfigLayout Write(JanusServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sourceMain = Path.Combine(options.SourceConfigFolder, "janus.jcfg");
        if (!File.Exists(sourceMain))
        {
            throw new JanusServerException(JanusServerError.ConfigInvalid, $"{sourceMain} not found (Debian package janus)");
        }

        var folder = Path.GetFullPath(Path.Combine(options.WorkFolder, "janus-config"));
        Directory.CreateDirectory(folder);
        var address = options.BindAddress;
        var httpPort = options.HttpPort == 0 ? FreePorts.Tcp(address) : options.HttpPort;
        int? wsPort = options.WebSocketPort switch
        {
            < 0 => null,
            0 => FreePorts.Tcp(address),
            var p => p,
        };
        if (options.AdminSecret is { } secret && (secret.Length == 0 || secret.AsSpan().IndexOfAny("\"\\\r\n") >= 0))
        {
            // The secret is written inside a libconfig string literal.
            throw new JanusServerException(JanusServerError.ConfigInvalid, "the admin secret must be non-empty, without quotes, backslashes or line breaks");
        }

        if (options.EventLoops < 0)
        {
            throw new JanusServerException(JanusServerError.ConfigInvalid, $"event loops must be 0 (a media thread per handle) or more, not {options.EventLoops}");
        }

        int? adminPort = options.AdminSecret switch
        {
            null => null,
            _ when options.AdminHttpPort == 0 => FreePorts.Tcp(address),
            _ => options.AdminHttpPort,
        };

        var rtpMin = options.RtpPortMin == 0 ? FreePorts.UdpBlock(address, options.RtpPortCount) : options.RtpPortMin;
        var rtpMax = rtpMin + options.RtpPortCount - 1;

        var installedPlugins = ListModules(options.PluginsFolder);
        foreach (var wanted in options.Plugins)
        {
            if (!installedPlugins.Contains(wanted))
            {
                throw new JanusServerException(JanusServerError.ConfigInvalid, $"plugin libjanus_{wanted}.so not in {options.PluginsFolder} (Debian package janus)");
            }
        }

        var disabledPlugins = installedPlugins.Where(p => !options.Plugins.Contains(p)).Order(StringComparer.Ordinal).Select(p => $"libjanus_{p}.so");
        var disabledTransports = UnusedTransports.Concat(wsPort is null ? ["websockets"] : Array.Empty<string>()).Select(t => $"libjanus_{t}.so");

        var logPath = Path.Combine(Path.GetFullPath(options.WorkFolder), "janus.log");
        var main = new StringBuilder()
            .AppendLine("general: {")
            .AppendLine(Invariant($"  configs_folder = \"{folder}\""))
            .AppendLine(Invariant($"  plugins_folder = \"{options.PluginsFolder}\""))
            .AppendLine(Invariant($"  transports_folder = \"{options.TransportsFolder}\""))
            .AppendLine(Invariant($"  debug_level = {options.DebugLevel}"))
            .AppendLine("  debug_timestamps = true")
            .AppendLine("  debug_colors = false")
            .AppendLine(Invariant($"  interface = \"{address}\""))
            .AppendLine(Invariant($"  session_timeout = {options.SessionTimeoutSeconds}"))
            .AppendLine(Invariant($"  server_name = \"callbridge-{httpPort}\""));
        if (options.EventLoops > 0)
        {
            main.AppendLine(Invariant($"  event_loops = {options.EventLoops}"));
        }

        if (options.AdminSecret is not null)
        {
            main.AppendLine(Invariant($"  admin_secret = \"{options.AdminSecret}\""));
        }

        main.AppendLine("}")
            .AppendLine("certificates: {")
            .AppendLine("}")
            .AppendLine("media: {")
            .AppendLine(Invariant($"  rtp_port_range = \"{rtpMin}-{rtpMax}\""))
            .AppendLine("}")
            .AppendLine("nat: {")
            .AppendLine("  nice_debug = false")
            // mDNS candidates from browsers cannot be resolved inside an isolated namespace.
            .AppendLine("  ignore_mdns = true");
        if (options.IceInterface is not null)
        {
            main.AppendLine(Invariant($"  ice_enforce_list = \"{options.IceInterface}\""));
        }

        main.AppendLine("}")
            .AppendLine("plugins: {")
            .AppendLine(Invariant($"  disable = \"{string.Join(',', disabledPlugins)}\""))
            .AppendLine("}")
            .AppendLine("transports: {")
            .AppendLine(Invariant($"  disable = \"{string.Join(',', disabledTransports)}\""))
            .AppendLine("}")
            .AppendLine("loggers: {")
            .AppendLine("  disable = \"libjanus_jsonlog.so\"")
            .AppendLine("}")
            .AppendLine("events: {")
            .AppendLine("  broadcast = false")
            .AppendLine("}");
        var mainPath = Path.Combine(folder, "janus.jcfg");
        File.WriteAllText(mainPath, main.ToString());

        var http = new StringBuilder()
            .AppendLine("general: {")
            .AppendLine("  json = \"plain\"")
            .AppendLine("  base_path = \"/janus\"")
            .AppendLine("  http = true")
            .AppendLine(Invariant($"  port = {httpPort}"))
            .AppendLine(Invariant($"  ip = \"{address}\""))
            .AppendLine("  https = false")
            .AppendLine("}")
            .AppendLine("admin: {");
        if (adminPort is { } admin)
        {
            http.AppendLine("  admin_base_path = \"/admin\"")
                .AppendLine("  admin_http = true")
                .AppendLine(Invariant($"  admin_port = {admin}"))
                .AppendLine(Invariant($"  admin_ip = \"{address}\""));
        }
        else
        {
            http.AppendLine("  admin_http = false");
        }

        http.AppendLine("  admin_https = false")
            .AppendLine("}")
            .AppendLine("cors: {")
            .AppendLine("}");
        File.WriteAllText(Path.Combine(folder, "janus.transport.http.jcfg"), http.ToString());

        if (wsPort is { } ws)
        {
            File.WriteAllText(Path.Combine(folder, "janus.transport.websockets.jcfg"), new StringBuilder()
                .AppendLine("general: {")
                .AppendLine("  json = \"plain\"")
                .AppendLine("  ws = true")
                .AppendLine(Invariant($"  ws_port = {ws}"))
                .AppendLine(Invariant($"  ws_ip = \"{address}\""))
                .AppendLine("  wss = false")
                .AppendLine("}")
                .AppendLine("admin: {")
                .AppendLine("  admin_ws = false")
                .AppendLine("  admin_wss = false")
                .AppendLine("}")
                .ToString());
        }

        foreach (var plugin in options.Plugins)
        {
            var name = $"janus.plugin.{plugin}.jcfg";
            var source = Path.Combine(options.SourceConfigFolder, name);
            var text = File.Exists(source) ? KeepGeneralBlock(File.ReadAllText(source)) : "general: {\n}\n";
            File.WriteAllText(Path.Combine(folder, name), text);
        }

        return new JanusConfigLayout(folder, mainPath, logPath, address, httpPort, wsPort, rtpMin, rtpMax) { AdminHttpPort = adminPort };
    }

    /// <summary>
    /// Keeps only the top-level <c>general</c> block of a plugin config: the installed files also
    /// declare demo rooms (room-1234 ...) that would leak into every test's room list.
    /// </summary>
    internal static string KeepGeneralBlock(string jcfg)
    {
        var output = new StringBuilder();
        var depth = 0;
        var keeping = false;
        foreach (var rawLine in jcfg.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var code = StripComment(line);
            if (depth == 0)
            {
                var trimmed = code.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                keeping = trimmed.StartsWith("general", StringComparison.Ordinal);
            }

            if (keeping)
            {
                output.Append(line).Append('\n');
            }

            foreach (var c in code)
            {
                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    depth--;
                }
            }
        }

        return output.Length == 0 ? "general: {\n}\n" : output.ToString();
    }

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                inString = !inString;
            }
            else if (line[i] == '#' && !inString)
            {
                return line[..i];
            }
        }

        return line;
    }

    private static HashSet<string> ListModules(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new JanusServerException(JanusServerError.ConfigInvalid, $"{folder} not found (Debian package janus)");
        }

        // libjanus_videoroom.so (the unversioned names are the ones Janus loads).
        return Directory.EnumerateFiles(folder, "libjanus_*.so")
            .Select(Path.GetFileName)
            .Select(n => n![9..^3])
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
