using System.Globalization;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>RFC 3261 §17 transaction layer: matches requests and responses to transactions (§17.1.3,
/// §17.2.3), runs the timers on the injected TimeProvider, and passes to the transaction user (TU) what
/// belongs to it. One lock serializes every state change.</summary>
public sealed class SipTransactionLayer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SipClientTransaction> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipServerTransaction> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ITimer Timer, Action OnAck)> _pending2xx = new(StringComparer.Ordinal);

    public SipTransactionLayer(ISipSender sender, TimeProvider time, SipTimerSettings? timers = null)
    {
        Sender = sender ?? throw new ArgumentNullException(nameof(sender));
        Time = time ?? throw new ArgumentNullException(nameof(time));
        Timers = timers ?? SipTimerSettings.Default;
    }

    public ISipSender Sender { get; }
    public TimeProvider Time { get; }
    public SipTimerSettings Timers { get; }

    /// <summary>A new request created a server transaction (including CANCEL; see <see cref="FindInviteFor"/>).</summary>
    public event Action<SipServerTransaction>? RequestReceived;

    /// <summary>An ACK that matched no transaction: the ACK for a 2xx, which belongs to the dialog (§17.2.3).</summary>
    public event Action<SipMessage, SipRemote>? AckReceived;

    /// <summary>A response that matched no client transaction (§17.1.3: passed to the core, e.g. a late 2xx).</summary>
    public event Action<SipMessage, SipRemote>? StrayResponse;

    internal void Locked(Action a)
    {
        lock (_gate) a();
    }

    public int ClientCount { get { lock (_gate) return _clients.Count; } }
    public int ServerCount { get { lock (_gate) return _servers.Count; } }

    /// <summary>Entry point from the transport layer.</summary>
    public void OnMessage(SipMessage message, SipRemote remote)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (message.IsRequest) OnRequest(message, remote);
            else OnResponse(message, remote);
        }
    }

    /// <summary>Starts a client transaction. The request's top Via must carry the branch to match on.</summary>
    public SipClientTransaction SendRequest(SipMessage request, SipRemote remote)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var key = ClientKey(request.TopVia?.Branch ?? throw new ArgumentException("request has no Via branch", nameof(request)), request.CSeq!.Value.Method);
            var tx = new SipClientTransaction(this, request, remote, key);
            _clients[key] = tx;
            tx.Start();
            return tx;
        }
    }

    /// <summary>The INVITE server transaction a CANCEL targets (§9.2): same key, method INVITE.</summary>
    public SipServerTransaction? FindInviteFor(SipMessage cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        lock (_gate) return _servers.GetValueOrDefault(ServerKey(cancel, "INVITE"));
    }

    /// <summary>Retransmits a 2xx to an INVITE (already sent once through its transaction), T1 doubling up to T2, until the ACK with the same
    /// Call-ID and CSeq arrives or 64*T1 passes (§13.3.1.4). onTimeout: the UAS then ends the dialog with BYE.</summary>
    public void RetransmitUntilAck(SipMessage ok, SipRemote remote, Action onAck, Action onTimeout)
    {
        ArgumentNullException.ThrowIfNull(ok);
        lock (_gate)
        {
            string key = ok.CallId + "|" + ok.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture);
            var interval = Timers.T1;
            var deadline = Time.GetUtcNow() + Timers.TransactionTimeout;
            ITimer? timer = null;
            timer = Time.CreateTimer(_ => Locked(() =>
            {
                if (!_pending2xx.ContainsKey(key)) return;
                if (Time.GetUtcNow() >= deadline)
                {
                    _pending2xx.Remove(key);
                    timer!.Dispose();
                    onTimeout();
                    return;
                }
                Sender.Send(ok, remote);
                interval = TimeSpan.FromTicks(Math.Min((interval * 2).Ticks, Timers.T2.Ticks));
                var left = deadline - Time.GetUtcNow();
                timer!.Change(interval < left ? interval : left, Timeout.InfiniteTimeSpan);
            }), null, remote.IsReliable ? Timers.TransactionTimeout : interval, Timeout.InfiniteTimeSpan);
            _pending2xx[key] = (timer, onAck);
        }
    }

    private void OnRequest(SipMessage request, SipRemote remote)
    {
        string key = ServerKey(request, request.Method == "ACK" ? "INVITE" : request.Method);
        if (_servers.TryGetValue(key, out var existing) && !(request.Method == "ACK" && existing.State == SipTransactionState.Accepted))
        {
            existing.OnRequest(request);
            return;
        }
        // An ACK that matches no transaction, or an RFC 2543 ACK matching an INVITE transaction that sent a 2xx,
        // acknowledges a 2xx: it belongs to the TU (§17.2.3, RFC 6026 §7.1).
        if (request.Method == "ACK")
        {
            string k2 = request.CallId + "|" + request.CSeq?.Number.ToString(CultureInfo.InvariantCulture);
            if (_pending2xx.Remove(k2, out var p))
            {
                p.Timer.Dispose();
                p.OnAck();
            }
            AckReceived?.Invoke(request, remote);
            return;
        }
        var tx = new SipServerTransaction(this, request, remote, key);
        _servers[key] = tx;
        // §17.2.1: a 100 Trying right away, so the client stops retransmitting the INVITE.
        if (tx.IsInvite) tx.Respond(SipMessageFactory.CreateResponse(request, 100, "Trying"));
        RequestReceived?.Invoke(tx);
    }

    private void OnResponse(SipMessage response, SipRemote remote)
    {
        var via = response.TopVia;
        var cseq = response.CSeq;
        if (via?.Branch is not null && cseq is not null && _clients.TryGetValue(ClientKey(via.Branch, cseq.Value.Method), out var tx))
        {
            tx.OnResponse(response);
            return;
        }
        StrayResponse?.Invoke(response, remote);
    }

    /// <summary>§17.1.3: top Via branch plus CSeq method.</summary>
    private static string ClientKey(string branch, string method) => branch + "|" + method;

    /// <summary>§17.2.3: with the magic cookie, branch + sent-by + method (ACK matches INVITE); otherwise the
    /// RFC 2543 rule from Request-URI, From tag, Call-ID, CSeq number and top Via.</summary>
    private static string ServerKey(SipMessage request, string method)
    {
        var via = request.TopVia;
        if (via is not null && via.IsRfc3261Branch)
            return via.Branch + "|" + via.Host + ":" + via.Port?.ToString(CultureInfo.InvariantCulture) + "|" + method;
        return "2543|" + request.CallId + "|" + request.CSeq?.Number.ToString(CultureInfo.InvariantCulture) + "|" +
               request.From?.Tag + "|" + via + "|" + method;
    }

    internal void Remove(SipClientTransaction tx)
    {
        if (_clients.TryGetValue(tx.Key, out var t) && ReferenceEquals(t, tx)) _clients.Remove(tx.Key);
    }

    internal void Remove(SipServerTransaction tx)
    {
        if (_servers.TryGetValue(tx.Key, out var t) && ReferenceEquals(t, tx)) _servers.Remove(tx.Key);
    }
}
