using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callbridge.Janus;

/// <summary>
/// Typed client of the Janus HTTP API (https://janus.conf.meetecho.com/docs/rest.html): sessions,
/// plugin handles, messages, and one long poll per session that dispatches events.
/// </summary>
public sealed class JanusClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _base;

    public JanusClient(HttpClient http, JanusClientOptions options, ILogger<JanusClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        Options = options;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        _base = options.BaseUri.ToString().TrimEnd('/');
    }

    public JanusClientOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary><c>{"janus":"info"}</c>: answers without a session; also the readiness probe.</summary>
    public async Task<JanusServerInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var answer = await PostAsync(string.Empty, new JsonObject { ["janus"] = "info" }, cancellationToken).ConfigureAwait(false);
        if (JanusJson.GetString(answer, "janus") != "server_info")
        {
            throw JanusJson.Malformed("info answered without server_info");
        }

        JanusJson.TryGetInt64(answer, "version", out var version);
        JanusJson.TryGetInt64(answer, "session-timeout", out var timeout);
        return new JanusServerInfo(
            (int)version,
            JanusJson.GetString(answer, "version_string") ?? string.Empty,
            Keys(answer["plugins"]),
            Keys(answer["transports"]),
            (int)timeout);

        static string[] Keys(JsonNode? node) => node is JsonObject o ? o.Select(p => p.Key).ToArray() : [];
    }

    /// <summary><c>{"janus":"create"}</c>: a new session with its long poll and keepalive running.</summary>
    public async Task<JanusSession> CreateSessionAsync(CancellationToken cancellationToken = default)
    {
        var answer = await PostAsync(string.Empty, new JsonObject { ["janus"] = "create" }, cancellationToken).ConfigureAwait(false);
        var id = RequireSuccessId(answer);
        var session = new JanusSession(this, id);
        session.Start();
        return session;
    }

    internal static long RequireSuccessId(JsonObject answer)
    {
        if (JanusJson.GetString(answer, "janus") != "success" || answer["data"] is not JsonObject data)
        {
            throw JanusJson.Malformed("expected success with data.id");
        }

        return JanusJson.RequireInt64(data, "id");
    }

    /// <summary>POSTs one request with a fresh transaction; gateway errors become <see cref="JanusException"/>.</summary>
    internal async Task<JsonObject> PostAsync(string path, JsonObject request, CancellationToken cancellationToken, string? transaction = null)
    {
        request["transaction"] = transaction ?? JanusTransactions.Next();
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] responseBytes;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = JsonContentType;
            using var response = await _http.PostAsync(new Uri(_base + path), content, linked.Token).ConfigureAwait(false);
            responseBytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && responseBytes.Length == 0)
            {
                throw new JanusException(JanusErrorKind.Transport, (int)response.StatusCode, $"HTTP {(int)response.StatusCode} from {path}");
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JanusException(JanusErrorKind.Transport, 0, $"request to '{_base + path}' timed out after {Options.RequestTimeout}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new JanusException(JanusErrorKind.Transport, 0, $"request to '{_base + path}' failed: {ex.Message}", ex);
        }

        var answer = JanusJson.ParseObject(responseBytes);
        if (JanusJson.GetString(answer, "janus") == "error")
        {
            throw JanusJson.GatewayError(answer);
        }

        return answer;
    }

    /// <summary>One long poll: the raw body, parsed (an object or, with maxev, possibly an array).</summary>
    internal async Task<JsonNode> LongPollAsync(long sessionId, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{_base}/{sessionId}?maxev={Options.LongPollMaxEvents}&rid={Environment.TickCount64}");
        using var timeout = new CancellationTokenSource(Options.LongPollTimeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        byte[] bytes;
        try
        {
            using var response = await _http.GetAsync(uri, linked.Token).ConfigureAwait(false);
            bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JanusException(JanusErrorKind.Transport, 0, "long poll timed out", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new JanusException(JanusErrorKind.Transport, 0, "long poll failed: " + ex.Message, ex);
        }

        return JanusJson.ParseNode(bytes);
    }
}
