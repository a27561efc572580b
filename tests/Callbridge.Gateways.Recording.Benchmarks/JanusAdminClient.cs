using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// The three Admin/Monitor API requests the bench needs, over Janus's HTTP admin transport: <c>list_sessions</c>
/// (POST to the admin root), <c>list_handles</c> (POST to root/session) and <c>handle_info</c> (POST to
/// root/session/handle), each carrying <c>admin_secret</c>.
/// </summary>
internal sealed class JanusAdminClient(HttpClient http, Uri root, string secret)
{
    /// <summary>Janus's "no such session" and "no such handle" (apierror.h): the object went away between listing and asking.</summary>
    private const int SessionNotFound = 458, HandleNotFound = 459;

    private long _transaction;

    public async Task<long[]> ListSessionsAsync(CancellationToken cancellationToken = default) =>
        Ids(await PostAsync("", "list_sessions", cancellationToken).ConfigureAwait(false), "sessions");

    /// <summary>The session's handles; empty when the session ended meanwhile.</summary>
    public async Task<long[]> ListHandlesAsync(long session, CancellationToken cancellationToken = default) =>
        Ids(await PostAsync(session.ToString(CultureInfo.InvariantCulture), "list_handles", cancellationToken).ConfigureAwait(false), "handles");

    /// <summary>The handle's <c>info</c> object; null when the handle or its session ended meanwhile.</summary>
    public async Task<JsonObject?> HandleInfoAsync(long session, long handle, CancellationToken cancellationToken = default)
    {
        JsonObject? reply = await PostAsync(string.Create(CultureInfo.InvariantCulture, $"{session}/{handle}"), "handle_info", cancellationToken).ConfigureAwait(false);
        return reply?["info"] as JsonObject;
    }

    /// <summary>The success reply, or null for "no such session/handle"; any other error throws with Janus's reason.</summary>
    private async Task<JsonObject?> PostAsync(string path, string request, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["janus"] = request,
            ["transaction"] = "bench-" + Interlocked.Increment(ref _transaction).ToString(CultureInfo.InvariantCulture),
            ["admin_secret"] = secret,
        };
        var uri = new Uri(root.AbsoluteUri.TrimEnd('/') + (path.Length == 0 ? "" : "/" + path));
        using HttpResponseMessage response = await http.PostAsJsonAsync(uri, body, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        JsonObject reply = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Janus admin {request}: empty reply");
        if ((string?)reply["janus"] == "success") return reply;
        int code = (int?)reply["error"]?["code"] ?? 0;
        if (code is SessionNotFound or HandleNotFound) return null;
        throw new InvalidOperationException($"Janus admin {request} at {uri}: error {code} {(string?)reply["error"]?["reason"]}");
    }

    private static long[] Ids(JsonObject? reply, string name) =>
        reply?[name] is JsonArray ids ? [.. ids.Select(id => (long)id!)] : [];
}
