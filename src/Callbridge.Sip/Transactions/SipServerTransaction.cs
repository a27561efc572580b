using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>INVITE (§17.2.1) and non-INVITE (§17.2.2) server transaction.</summary>
public sealed class SipServerTransaction : SipTransaction
{
    internal SipServerTransaction(SipTransactionLayer layer, SipMessage request, SipRemote remote, string key)
        : base(layer, request, remote, key, request.Method == "INVITE" ? SipTransactionState.Proceeding : SipTransactionState.Trying)
    {
    }

    /// <summary>Raised when the ACK for a 300-699 answer arrives (§17.2.1), or Timer H fires without one.</summary>
    public event Action<SipServerTransaction, bool>? AckOrTimeout;

    /// <summary>A final response has been sent.</summary>
    public bool IsFinal => LastResponse is { StatusCode: >= 200 };

    /// <summary>Sends a response through the transaction (§17.2.1, §17.2.2). Ignored once a final was sent.</summary>
    public void Respond(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Layer.Locked(() => RespondLocked(response));
    }

    private void RespondLocked(SipMessage response)
    {
        if (State is not (SipTransactionState.Trying or SipTransactionState.Proceeding)) return;
        LastResponse = response;
        Layer.Sender.Send(response, Remote);
        int code = response.StatusCode;
        var t = Layer.Timers;
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
                StartRetransmitting(OnTimerG, t.T1);
            }
            // Timer H: 64*T1 waiting for the ACK.
            StartTimeout(OnTimerH, t.TransactionTimeout);
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
        Layer.Sender.Send(LastResponse, Remote);
        RetransmitAgainAfter(TimeSpan.FromTicks(Math.Min((RetransmitInterval * 2).Ticks, Layer.Timers.T2.Ticks)));
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
            StopRetransmitAndTimeout();
            AckOrTimeout?.Invoke(this, true);
            // Timer I: T4 on UDP to absorb ACK retransmissions, zero on reliable transports.
            Linger(Remote.IsReliable ? TimeSpan.Zero : Layer.Timers.T4);
            return;
        }
        // Retransmitted request: the last response goes out again (§17.2.1, §17.2.2).
        if (LastResponse is not null && State is SipTransactionState.Proceeding or SipTransactionState.Completed)
            Layer.Sender.Send(LastResponse, Remote);
    }

    private protected override void OnTerminated() => Layer.Remove(this);
}
