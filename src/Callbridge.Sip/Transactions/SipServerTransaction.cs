using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>INVITE (§17.2.1) and non-INVITE (§17.2.2) server transaction.</summary>
public sealed class SipServerTransaction
{
    private readonly SipTransactionLayer _layer;
    private ITimer? _retransmit, _timeout, _linger;
    private TimeSpan _interval;

    internal SipServerTransaction(SipTransactionLayer layer, SipMessage request, SipRemote remote, string key)
    {
        _layer = layer;
        Request = request;
        Remote = remote;
        Key = key;
        IsInvite = request.Method == "INVITE";
        State = IsInvite ? SipTransactionState.Proceeding : SipTransactionState.Trying;
    }

    public SipMessage Request { get; }
    public SipRemote Remote { get; }
    public bool IsInvite { get; }
    public SipTransactionState State { get; private set; }
    public SipMessage? LastResponse { get; private set; }
    internal string Key { get; }

    /// <summary>Raised when the ACK for a 300-699 answer arrives (§17.2.1), or Timer H fires without one.</summary>
    public event Action<SipServerTransaction, bool>? AckOrTimeout;

    /// <summary>A final response has been sent.</summary>
    public bool IsFinal => LastResponse is { StatusCode: >= 200 };

    /// <summary>Sends a response through the transaction (§17.2.1, §17.2.2). Ignored once a final was sent.</summary>
    public void Respond(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _layer.Locked(() => RespondLocked(response));
    }

    private void RespondLocked(SipMessage response)
    {
        if (State is not (SipTransactionState.Trying or SipTransactionState.Proceeding)) return;
        LastResponse = response;
        _layer.Sender.Send(response, Remote);
        int code = response.StatusCode;
        var t = _layer.Timers;
        if (code < 200)
        {
            State = SipTransactionState.Proceeding;
            return;
        }
        if (IsInvite && code < 300)
        {
            // RFC 6026 §7.1 Accepted: retransmitted INVITEs are absorbed for Timer L = 64*T1; the TU
            // retransmits the 2xx itself (§13.3.1.4).
            State = SipTransactionState.Accepted;
            Linger(t.TransactionTimeout);
            return;
        }
        State = SipTransactionState.Completed;
        if (IsInvite)
        {
            if (!Remote.IsReliable)
            {
                // Timer G: T1 doubling up to T2.
                _interval = t.T1;
                _retransmit = _layer.Time.CreateTimer(_ => _layer.Locked(OnTimerG), null, _interval, Timeout.InfiniteTimeSpan);
            }
            // Timer H: 64*T1 waiting for the ACK.
            _timeout = _layer.Time.CreateTimer(_ => _layer.Locked(OnTimerH), null, t.TransactionTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            // Timer J: 64*T1 on UDP to answer retransmissions, zero on reliable transports.
            Linger(Remote.IsReliable ? TimeSpan.Zero : t.TransactionTimeout);
        }
    }

    private void OnTimerG()
    {
        if (State != SipTransactionState.Completed || LastResponse is null) return;
        _layer.Sender.Send(LastResponse, Remote);
        _interval = TimeSpan.FromTicks(Math.Min((_interval * 2).Ticks, _layer.Timers.T2.Ticks));
        _retransmit?.Change(_interval, Timeout.InfiniteTimeSpan);
    }

    private void OnTimerH()
    {
        if (State != SipTransactionState.Completed) return;
        AckOrTimeout?.Invoke(this, false);
        Terminate();
    }

    /// <summary>A retransmission of the request, or the ACK, matched this transaction.</summary>
    internal void OnRequest(SipMessage request)
    {
        if (request.Method == "ACK")
        {
            if (State != SipTransactionState.Completed) return;
            State = SipTransactionState.Confirmed;
            _retransmit?.Dispose();
            _timeout?.Dispose();
            AckOrTimeout?.Invoke(this, true);
            // Timer I: T4 on UDP to absorb ACK retransmissions, zero on reliable transports.
            Linger(Remote.IsReliable ? TimeSpan.Zero : _layer.Timers.T4);
            return;
        }
        // Retransmitted request: the last response goes out again (§17.2.1, §17.2.2).
        if (LastResponse is not null && State is SipTransactionState.Proceeding or SipTransactionState.Completed)
            _layer.Sender.Send(LastResponse, Remote);
    }

    private void Linger(TimeSpan d)
    {
        if (d <= TimeSpan.Zero) { Terminate(); return; }
        _linger = _layer.Time.CreateTimer(_ => _layer.Locked(Terminate), null, d, Timeout.InfiniteTimeSpan);
    }

    internal void Terminate()
    {
        if (State == SipTransactionState.Terminated) return;
        State = SipTransactionState.Terminated;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _linger?.Dispose();
        _layer.Remove(this);
    }
}
