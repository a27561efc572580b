using System.Text.Json.Nodes;

namespace Callbridge.Janus;

/// <summary>One message received on a session's long poll.</summary>
/// <param name="Kind">Decoded <c>janus</c> field.</param>
/// <param name="Janus">The raw <c>janus</c> field.</param>
/// <param name="Sender">Handle id the event is about (0 for session-level messages).</param>
/// <param name="Transaction">Transaction of the request this answers, or null for unsolicited events.</param>
/// <param name="Plugin">Plugin package name (plugindata.plugin) for plugin events.</param>
/// <param name="Data">plugindata.data for plugin events; the whole message otherwise.</param>
/// <param name="Jsep">SDP carried with the event, if any.</param>
public sealed record JanusEvent(
    JanusEventKind Kind,
    string Janus,
    long Sender,
    string? Transaction,
    string? Plugin,
    JsonObject Data,
    JanusJsep? Jsep)
{
    /// <summary>The plugin's own event name, e.g. VideoRoom's <c>"videoroom":"joined"</c>.</summary>
    public string? PluginEventName(string field) => Data[field] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
