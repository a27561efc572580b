using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Callbridge.Janus;

/// <summary>Reads Janus API messages; every shape violation becomes <see cref="JanusErrorKind.MalformedResponse"/>.</summary>
internal static class JanusJson
{
    public static JsonNode ParseNode(ReadOnlySpan<byte> utf8)
    {
        // JSON text is UTF-8 (RFC 8259 section 8.1); JsonNode decodes strings lazily, so check now.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw Malformed("invalid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
            var node = JsonNode.Parse(ref reader) ?? throw Malformed("null document");
            Materialize(node);
            return node;
        }
        catch (JsonException ex)
        {
            throw new JanusException(JanusErrorKind.MalformedResponse, 0, "invalid JSON: " + ex.Message, ex);
        }
        catch (ArgumentException ex)
        {
            // JsonObject builds its dictionary lazily and throws on a duplicate property name
            // (RFC 8259 section 4 says names SHOULD be unique): reject the document up front.
            throw new JanusException(JanusErrorKind.MalformedResponse, 0, "duplicate property: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new JanusException(JanusErrorKind.MalformedResponse, 0, "undecodable text: " + ex.Message, ex);
        }
    }

    /// <summary>Forces every object's dictionary to be built now, inside the parse's error handling (depth is bounded by MaxDepth).</summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var property in o)
                {
                    Materialize(property.Value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Materialize(item);
                }

                break;
        }
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        ParseNode(utf8) as JsonObject ?? throw Malformed("expected a JSON object");

    public static JanusException Malformed(string reason) => new(JanusErrorKind.MalformedResponse, 0, reason);

    public static string? GetString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static string RequireString(JsonObject o, string name) =>
        GetString(o, name) ?? throw Malformed($"missing string field '{name}'");

    public static bool TryGetInt64(JsonObject o, string name, out long value)
    {
        value = 0;
        if (o[name] is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue(out long l))
        {
            value = l;
            return true;
        }

        // Janus prints ids as JSON numbers; some values arrive as doubles or, with string_ids, strings.
        if (v.TryGetValue(out double d) && d >= long.MinValue && d <= long.MaxValue && Math.Floor(d) == d)
        {
            value = (long)d;
            return true;
        }

        return v.TryGetValue(out string? s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    public static long RequireInt64(JsonObject o, string name) =>
        TryGetInt64(o, name, out var v) ? v : throw Malformed($"missing integer field '{name}'");

    public static bool GetBool(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out bool b) && b;

    public static JanusJsep? ReadJsep(JsonObject message)
    {
        if (message["jsep"] is not JsonObject jsep)
        {
            return null;
        }

        return new JanusJsep(RequireString(jsep, "type"), RequireString(jsep, "sdp"), GetBool(jsep, "e2ee"));
    }

    public static JsonObject WriteJsep(JanusJsep jsep)
    {
        var o = new JsonObject { ["type"] = jsep.Type, ["sdp"] = jsep.Sdp };
        if (jsep.E2ee)
        {
            o["e2ee"] = true;
        }

        return o;
    }

    /// <summary>Throws the gateway error carried by <c>{"janus":"error"}</c>.</summary>
    public static JanusException GatewayError(JsonObject message)
    {
        if (message["error"] is JsonObject error)
        {
            TryGetInt64(error, "code", out var code);
            return new JanusException(JanusErrorKind.Gateway, (int)code, GetString(error, "reason") ?? "(no reason)");
        }

        return Malformed("error message without an 'error' object");
    }

    /// <summary>Plugin errors live in plugindata.data as <c>error_code</c> + <c>error</c> (VideoRoom, AudioBridge, ...).</summary>
    public static void ThrowIfPluginError(JsonObject data)
    {
        if (data["error_code"] is null && data["error"] is null)
        {
            return;
        }

        TryGetInt64(data, "error_code", out var code);
        throw new JanusException(JanusErrorKind.Plugin, (int)code, GetString(data, "error") ?? "(no reason)");
    }

    public static JsonObject PluginData(JsonObject message)
    {
        if (message["plugindata"] is not JsonObject pd || pd["data"] is not JsonObject data)
        {
            throw Malformed("plugin answer without plugindata.data");
        }

        return data;
    }

    public static JanusEventKind KindOf(string janus) => janus switch
    {
        "event" => JanusEventKind.PluginEvent,
        "webrtcup" => JanusEventKind.WebRtcUp,
        "media" => JanusEventKind.Media,
        "slowlink" => JanusEventKind.SlowLink,
        "hangup" => JanusEventKind.Hangup,
        "detached" => JanusEventKind.Detached,
        "trickle" => JanusEventKind.Trickle,
        "timeout" => JanusEventKind.Timeout,
        _ => JanusEventKind.Other,
    };

    /// <summary>Turns one long-poll message into an event; shape errors are reported, not thrown.</summary>
    public static bool TryReadEvent(JsonObject message, out JanusEvent? evt)
    {
        evt = null;
        var janus = GetString(message, "janus");
        if (janus is null)
        {
            return false;
        }

        TryGetInt64(message, "sender", out var sender);
        var transaction = GetString(message, "transaction");
        string? plugin = null;
        var data = message;
        if (message["plugindata"] is JsonObject pd)
        {
            plugin = GetString(pd, "plugin");
            if (pd["data"] is JsonObject d)
            {
                data = d;
            }
        }

        JanusJsep? jsep;
        try
        {
            jsep = ReadJsep(message);
        }
        catch (JanusException)
        {
            return false;
        }

        evt = new JanusEvent(KindOf(janus), janus, sender, transaction, plugin, data, jsep);
        return true;
    }
}
