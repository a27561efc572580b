using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Callbridge.Janus;

/// <summary>
/// A Janus session: owns its handles, one long poll that dispatches every event (to the request
/// waiting on its transaction, else to the sender handle's event channel), and a keepalive.
/// </summary>
public sealed partial class JanusSession : IAsyncDisposable
{
    private readonly JanusClient _client;
    private readonly ConcurrentDictionary<long, JanusHandle> _handles = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JanusEvent>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<JanusEvent> _sessionEvents = Channel.CreateUnbounded<JanusEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _pollLoop = Task.CompletedTask;
    private Task _keepaliveLoop = Task.CompletedTask;
    private JanusException? _closedReason;
    private int _disposed;
    private int _malformed;

    internal JanusSession(JanusClient client, long id)
    {
        _client = client;
        Id = id;
    }

    public long Id { get; }

    /// <summary>Events that belong to no handle (e.g. <c>timeout</c>) and events for handles not attached through this object.</summary>
    public ChannelReader<JanusEvent> Events => _sessionEvents.Reader;

    /// <summary>Set once the session stopped working (destroyed, timed out, or Janus forgot it).</summary>
    public JanusException? ClosedReason => Volatile.Read(ref _closedReason);

    /// <summary>Number of malformed messages the long poll skipped (Janus should send none).</summary>
    public int MalformedEventCount => Volatile.Read(ref _malformed);

    internal void Start()
    {
        _pollLoop = Task.Run(PollLoopAsync);
        _keepaliveLoop = Task.Run(KeepaliveLoopAsync);
    }

    /// <summary><c>{"janus":"attach","plugin":...}</c>.</summary>
    public async Task<JanusHandle> AttachAsync(string plugin, string? opaqueId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var request = new JsonObject { ["janus"] = "attach", ["plugin"] = plugin };
        if (opaqueId is not null)
        {
            request["opaque_id"] = opaqueId;
        }

        var answer = await _client.PostAsync($"/{Id}", request, cancellationToken).ConfigureAwait(false);
        var handle = new JanusHandle(this, JanusClient.RequireSuccessId(answer), plugin);
        _handles[handle.Id] = handle;
        return handle;
    }

    /// <summary>
    /// Sends a plugin message and returns the plugin's answer, whether Janus answers inline
    /// (<c>success</c>) or with <c>ack</c> followed by an event with the same transaction.
    /// Plugin errors (<c>error_code</c>) throw <see cref="JanusException"/> with kind Plugin.
    /// </summary>
    internal async Task<JanusPluginResponse> SendMessageAsync(long handleId, JsonObject body, JanusJsep? jsep, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        var transaction = JanusTransactions.Next();
        var request = new JsonObject { ["janus"] = "message", ["body"] = body };
        if (jsep is not null)
        {
            request["jsep"] = JanusJson.WriteJsep(jsep);
        }

        // Registered before the POST: the event can reach the long poll before the ack reaches us.
        var waiter = new TaskCompletionSource<JanusEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = waiter;
        try
        {
            var answer = await _client.PostAsync($"/{Id}/{handleId}", request, cancellationToken, transaction).ConfigureAwait(false);
            switch (JanusJson.GetString(answer, "janus"))
            {
                case "success":
                {
                    var data = JanusJson.PluginData(answer);
                    JanusJson.ThrowIfPluginError(data);
                    return new JanusPluginResponse(data, JanusJson.ReadJsep(answer));
                }

                case "ack":
                {
                    using var timeout = new CancellationTokenSource(_client.Options.EventTimeout, _client.Options.TimeProvider);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _stop.Token);
                    JanusEvent evt;
                    try
                    {
                        evt = await waiter.Task.WaitAsync(linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        throw new JanusException(JanusErrorKind.Transport, 0, $"no event for transaction {transaction} within {_client.Options.EventTimeout}");
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        throw ClosedReason ?? new JanusException(JanusErrorKind.SessionClosed, 0, "session closed");
                    }

                    JanusJson.ThrowIfPluginError(evt.Data);
                    return new JanusPluginResponse(evt.Data, evt.Jsep);
                }

                default:
                    throw JanusJson.Malformed($"unexpected answer '{JanusJson.GetString(answer, "janus")}' to a plugin message");
            }
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    /// <summary>Requests to a handle that Janus acknowledges with ack or success (trickle, hangup, detach).</summary>
    internal Task<JsonObject> SendHandleRequestAsync(long handleId, JsonObject request, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        return _client.PostAsync($"/{Id}/{handleId}", request, cancellationToken);
    }

    internal void ForgetHandle(long handleId) => _handles.TryRemove(handleId, out _);

    /// <summary><c>{"janus":"destroy"}</c> then stops the loops.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken = default)
    {
        if (ClosedReason is null)
        {
            await _client.PostAsync($"/{Id}", new JsonObject { ["janus"] = "destroy" }, cancellationToken).ConfigureAwait(false);
        }

        Close(new JanusException(JanusErrorKind.SessionClosed, 0, "session destroyed"));
        await StopLoopsAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (ClosedReason is null)
        {
            try
            {
                await _client.PostAsync($"/{Id}", new JsonObject { ["janus"] = "destroy" }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (JanusException ex)
            {
                LogDestroyFailed(_client.Logger, Id, ex.Message);
            }
        }

        Close(new JanusException(JanusErrorKind.SessionClosed, 0, "session disposed"));
        await StopLoopsAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StopLoopsAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_pollLoop, _keepaliveLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: both loops end by cancellation.
        }
    }

    private void ThrowIfClosed()
    {
        if (ClosedReason is { } reason)
        {
            throw new JanusException(JanusErrorKind.SessionClosed, reason.Code, reason.Reason);
        }
    }

    private void Close(JanusException reason)
    {
        Interlocked.CompareExchange(ref _closedReason, reason, null);
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(reason);
        }

        foreach (var handle in _handles.Values)
        {
            handle.Complete();
        }

        _sessionEvents.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed by DisposeAsync: nothing left to stop.
        }
    }

    private async Task PollLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            JsonNode node;
            try
            {
                node = await _client.LongPollAsync(Id, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (JanusException ex) when (ex.Kind == JanusErrorKind.MalformedResponse)
            {
                Interlocked.Increment(ref _malformed);
                LogMalformed(_client.Logger, Id, ex.Reason);
                continue;
            }
            catch (JanusException ex)
            {
                LogPollFailed(_client.Logger, Id, ex.Message);
                try
                {
                    await Task.Delay(_client.Options.LongPollRetryDelay, _client.Options.TimeProvider, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    if (item is JsonObject o)
                    {
                        Dispatch(o);
                    }
                    else
                    {
                        Interlocked.Increment(ref _malformed);
                    }
                }
            }
            else if (node is JsonObject single)
            {
                Dispatch(single);
            }
            else
            {
                Interlocked.Increment(ref _malformed);
            }
        }
    }

    /// <summary>Routes one long-poll message. Internal for the dispatch tests.</summary>
    internal void Dispatch(JsonObject message)
    {
        var janus = JanusJson.GetString(message, "janus");
        switch (janus)
        {
            case "keepalive":
            case "ack":
                return;
            case "error":
            {
                var error = JanusJson.GatewayError(message);
                if (error.Code == 458)
                {
                    // 458 "No such session": Janus forgot us (timeout or restart).
                    Close(error);
                }

                var tx = JanusJson.GetString(message, "transaction");
                if (tx is not null && _pending.TryGetValue(tx, out var failed))
                {
                    failed.TrySetException(error);
                }

                return;
            }
        }

        if (!JanusJson.TryReadEvent(message, out var evt) || evt is null)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        if (evt.Transaction is not null && _pending.TryGetValue(evt.Transaction, out var waiter) && waiter.TrySetResult(evt))
        {
            return;
        }

        if (evt.Kind == JanusEventKind.Timeout)
        {
            _sessionEvents.Writer.TryWrite(evt);
            Close(new JanusException(JanusErrorKind.SessionClosed, 0, "session timed out"));
            return;
        }

        if (evt.Sender != 0 && _handles.TryGetValue(evt.Sender, out var handle))
        {
            handle.Post(evt);
            if (evt.Kind == JanusEventKind.Detached)
            {
                ForgetHandle(evt.Sender);
                handle.Complete();
            }

            return;
        }

        _sessionEvents.Writer.TryWrite(evt);
    }

    private async Task KeepaliveLoopAsync()
    {
        using var timer = new PeriodicTimer(_client.Options.KeepaliveInterval, _client.Options.TimeProvider);
        var token = _stop.Token;
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await _client.PostAsync($"/{Id}", new JsonObject { ["janus"] = "keepalive" }, token).ConfigureAwait(false);
                }
                catch (JanusException ex) when (ex.Kind == JanusErrorKind.Gateway && ex.Code == 458)
                {
                    Close(ex);
                    return;
                }
                catch (JanusException ex)
                {
                    LogKeepaliveFailed(_client.Logger, Id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session stopped.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janus session {SessionId}: skipped malformed long-poll answer: {Reason}")]
    private static partial void LogMalformed(ILogger logger, long sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janus session {SessionId}: long poll failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, long sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Janus session {SessionId}: keepalive failed: {Reason}")]
    private static partial void LogKeepaliveFailed(ILogger logger, long sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Janus session {SessionId}: destroy failed: {Reason}")]
    private static partial void LogDestroyFailed(ILogger logger, long sessionId, string reason);
}
