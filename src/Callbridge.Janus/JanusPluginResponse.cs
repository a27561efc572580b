using System.Text.Json.Nodes;

namespace Callbridge.Janus;

/// <summary>A plugin's answer to a request: synchronous <c>success</c> or the event that follows an <c>ack</c>.</summary>
/// <param name="Data">plugindata.data.</param>
/// <param name="Jsep">SDP carried with the answer, if any.</param>
public sealed record JanusPluginResponse(JsonObject Data, JanusJsep? Jsep);
