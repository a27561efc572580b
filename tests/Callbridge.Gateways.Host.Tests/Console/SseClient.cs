using System.Text;
using System.Text.Json;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>One event of a text/event-stream.</summary>
internal sealed record SseEvent(string? Id, string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>A minimal event-stream reader (WHATWG HTML "server-sent events" parsing: field lines, blank line ends an
/// event, lines starting with ':' are comments) over a real HTTP response.</summary>
internal sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseClient> OpenAsync(HttpClient http, Uri url, string? apiKey, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or a TimeoutException after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? id = null, type = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no event within {timeout}");
            }
            if (line is null) throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (type is null && data.Length == 0) continue;
                return new SseEvent(id, type ?? "message", data.ToString());
            }
            if (line[0] == ':') continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": if (data.Length > 0) data.Append('\n'); data.Append(value); break;
            }
        }
    }

    /// <summary>True when nothing but comments arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> QuietForAsync(TimeSpan wait)
    {
        try
        {
            await NextAsync(wait);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
