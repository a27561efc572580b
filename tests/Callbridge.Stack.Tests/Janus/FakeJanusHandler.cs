using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Callbridge.Stack.Tests.Janus;

/// <summary>
/// Scripted Janus HTTP endpoint: POSTs are answered by a callback, long polls (GET) by a queue
/// the test fills. Records every request.
/// </summary>
internal sealed class FakeJanusHandler : HttpMessageHandler
{
    private readonly Channel<string> _pollAnswers = Channel.CreateUnbounded<string>();

    public ConcurrentQueue<(string Method, string Path, JsonObject? Body)> Requests { get; } = new();

    /// <summary>Answers a POST: (path, body) -> raw response text.</summary>
    public Func<string, JsonObject, string> OnPost { get; set; } = (_, _) => "{}";

    /// <summary>Queues a raw long-poll answer.</summary>
    public void EnqueuePoll(string raw) => _pollAnswers.Writer.TryWrite(raw);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Get)
        {
            Requests.Enqueue(("GET", path + request.RequestUri.Query, null));
            var raw = await _pollAnswers.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return Text(raw);
        }

        var text = await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var body = (JsonObject)JsonNode.Parse(text)!;
        Requests.Enqueue(("POST", path, body));
        return Text(OnPost(path, body));
    }

    private static HttpResponseMessage Text(string raw) =>
        new(HttpStatusCode.OK) { Content = new StringContent(raw, Encoding.UTF8, "application/json") };
}
