using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Callbridge.Janus;

/// <summary>A plugin handle within a session: messages out, its own events in.</summary>
public sealed class JanusHandle : IAsyncDisposable
{
    private readonly Channel<JanusEvent> _events = Channel.CreateUnbounded<JanusEvent>(new UnboundedChannelOptions { SingleReader = true });
    private int _detached;

    internal JanusHandle(JanusSession session, long id, string plugin)
    {
        Session = session;
        Id = id;
        Plugin = plugin;
    }

    public JanusSession Session { get; }

    public long Id { get; }

    public string Plugin { get; }

    /// <summary>Unsolicited events of this handle (room notifications, webrtcup, media, hangup), in arrival order.</summary>
    public ChannelReader<JanusEvent> Events => _events.Reader;

    /// <summary>Plugin message; see <see cref="JanusSession"/> for the sync/async rules.</summary>
    public Task<JanusPluginResponse> SendMessageAsync(JsonObject body, JanusJsep? jsep = null, CancellationToken cancellationToken = default) =>
        Session.SendMessageAsync(Id, body, jsep, cancellationToken);

    /// <summary><c>{"janus":"trickle","candidate":{candidate,sdpMid,sdpMLineIndex}}</c>.</summary>
    public Task TrickleAsync(string candidate, string? sdpMid, int sdpMLineIndex, CancellationToken cancellationToken = default)
    {
        var c = new JsonObject { ["candidate"] = candidate, ["sdpMLineIndex"] = sdpMLineIndex };
        if (sdpMid is not null)
        {
            c["sdpMid"] = sdpMid;
        }

        return Session.SendHandleRequestAsync(Id, new JsonObject { ["janus"] = "trickle", ["candidate"] = c }, cancellationToken);
    }

    /// <summary>End of candidates: <c>{"janus":"trickle","candidate":{"completed":true}}</c>.</summary>
    public Task TrickleCompletedAsync(CancellationToken cancellationToken = default) =>
        Session.SendHandleRequestAsync(Id, new JsonObject { ["janus"] = "trickle", ["candidate"] = new JsonObject { ["completed"] = true } }, cancellationToken);

    /// <summary>Closes the PeerConnection but keeps the handle.</summary>
    public Task HangupAsync(CancellationToken cancellationToken = default) =>
        Session.SendHandleRequestAsync(Id, new JsonObject { ["janus"] = "hangup" }, cancellationToken);

    public async Task DetachAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _detached, 1) != 0)
        {
            return;
        }

        try
        {
            await Session.SendHandleRequestAsync(Id, new JsonObject { ["janus"] = "detach" }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Session.ForgetHandle(Id);
            Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Session.ClosedReason is not null)
        {
            Complete();
            return;
        }

        try
        {
            await DetachAsync().ConfigureAwait(false);
        }
        catch (JanusException)
        {
            // The session may be gone already; the handle goes with it.
        }
    }

    internal void Post(JanusEvent evt) => _events.Writer.TryWrite(evt);

    internal void Complete() => _events.Writer.TryComplete();
}
