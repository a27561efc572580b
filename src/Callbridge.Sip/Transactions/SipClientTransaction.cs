using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>INVITE (§17.1.1) and non-INVITE (§17.1.2) client transaction. All state changes happen under the
/// owning layer's lock; timers run on the layer's TimeProvider.</summary>
public sealed class SipClientTransaction
{
    private readonly SipTransactionLayer _layer;
    private readonly TaskCompletionSource<SipMessage?> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _retransmit, _timeout, _linger;
    private TimeSpan _interval;

    internal SipClientTransaction(SipTransactionLayer layer, SipMessage request, SipRemote remote, string key)
    {
        _layer = layer;
        Request = request;
        Remote = remote;
        Key = key;
        IsInvite = request.Method == "INVITE";
        State = IsInvite ? SipTransactionState.Calling : SipTransactionState.Trying;
    }

    public SipMessage Request { get; }
    public SipRemote Remote { get; }
    public bool IsInvite { get; }
    public SipTransactionState State { get; private set; }
    internal string Key { get; }
    public SipTransactionFailure Failure { get; private set; }

    /// <summary>Every response passed up (provisional, final, and for INVITE, 2xx retransmissions).</summary>
    public event Action<SipClientTransaction, SipMessage>? ResponseReceived;

    /// <summary>The final response, or null when Timer B/F fired (then <see cref="Failure"/> says why).</summary>
    public Task<SipMessage?> FinalResponse => _final.Task;

    public SipMessage? LastResponse { get; private set; }

    internal void Start()
    {
        var t = _layer.Timers;
        _layer.Sender.Send(Request, Remote);
        if (!Remote.IsReliable)
        {
            // Timer A / E start at T1 and double (§17.1.1.2, §17.1.2.2).
            _interval = t.T1;
            _retransmit = _layer.Time.CreateTimer(_ => _layer.Locked(OnRetransmit), null, _interval, Timeout.InfiniteTimeSpan);
        }
        // Timer B / F: 64*T1.
        _timeout = _layer.Time.CreateTimer(_ => _layer.Locked(OnTimeout), null, t.TransactionTimeout, Timeout.InfiniteTimeSpan);
    }

    private void OnRetransmit()
    {
        if (State is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
        {
            // An INVITE stops retransmitting once a provisional response arrives (§17.1.1.2).
            if (IsInvite && State == SipTransactionState.Proceeding) return;
            _layer.Sender.Send(Request, Remote);
            var t = _layer.Timers;
            // INVITE: doubling without bound (Timer A); non-INVITE: min(2*interval, T2), and T2 in Proceeding.
            _interval = IsInvite ? _interval * 2
                : State == SipTransactionState.Proceeding ? t.T2 : TimeSpan.FromTicks(Math.Min((_interval * 2).Ticks, t.T2.Ticks));
            _retransmit?.Change(_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimeout()
    {
        // Timer B runs only in Calling: once a provisional arrives an INVITE may ring indefinitely (§17.1.1.2);
        // Timer F covers Trying and Proceeding (§17.1.2.2).
        if (State is SipTransactionState.Calling or SipTransactionState.Trying || (!IsInvite && State == SipTransactionState.Proceeding))
        {
            Failure = SipTransactionFailure.Timeout;
            Terminate();
        }
    }

    internal void OnResponse(SipMessage response)
    {
        int code = response.StatusCode;
        switch (State)
        {
            case SipTransactionState.Calling:
            case SipTransactionState.Trying:
            case SipTransactionState.Proceeding:
                LastResponse = response;
                if (code < 200)
                {
                    State = SipTransactionState.Proceeding;
                    Raise(response);
                    return;
                }
                _retransmit?.Dispose();
                _timeout?.Dispose();
                if (IsInvite && code < 300)
                {
                    // RFC 6026 §7.2: Accepted, so 2xx retransmissions still reach the TU for 64*T1.
                    State = SipTransactionState.Accepted;
                    Linger(_layer.Timers.TransactionTimeout);
                }
                else
                {
                    State = SipTransactionState.Completed;
                    if (IsInvite) _layer.Sender.Send(SipMessageFactory.CreateAckForFailure(Request, response), Remote);
                    // Timer D (>= 32 s on UDP) / Timer K (T4 on UDP); zero on reliable transports.
                    Linger(Remote.IsReliable ? TimeSpan.Zero : IsInvite ? _layer.Timers.TimerDUnreliable : _layer.Timers.T4);
                }
                Raise(response);
                _final.TrySetResult(response);
                return;
            case SipTransactionState.Completed:
                // Retransmitted final response: the ACK is sent again, nothing goes to the TU (§17.1.1.2).
                if (IsInvite && code >= 300) _layer.Sender.Send(SipMessageFactory.CreateAckForFailure(Request, response), Remote);
                return;
            case SipTransactionState.Accepted:
                if (code >= 200 && code < 300) Raise(response);
                return;
        }
    }

    private void Linger(TimeSpan d)
    {
        if (d <= TimeSpan.Zero) { Terminate(); return; }
        _linger = _layer.Time.CreateTimer(_ => _layer.Locked(Terminate), null, d, Timeout.InfiniteTimeSpan);
    }

    private void Raise(SipMessage response) => ResponseReceived?.Invoke(this, response);

    internal void Terminate()
    {
        if (State == SipTransactionState.Terminated) return;
        State = SipTransactionState.Terminated;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _linger?.Dispose();
        _layer.Remove(this);
        _final.TrySetResult(LastResponse is { StatusCode: >= 200 } ? LastResponse : null);
    }
}
