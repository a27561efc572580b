using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>INVITE (§17.1.1) and non-INVITE (§17.1.2) client transaction.</summary>
public sealed class SipClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipMessage?> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SipClientTransaction(SipTransactionLayer layer, SipMessage request, SipRemote remote, string key)
        : base(layer, request, remote, key, request.Method == "INVITE" ? SipTransactionState.Calling : SipTransactionState.Trying)
    {
    }

    public SipTransactionFailure Failure { get; private set; }

    /// <summary>Every response passed up (provisional, final, and for INVITE, 2xx retransmissions).</summary>
    public event Action<SipClientTransaction, SipMessage>? ResponseReceived;

    /// <summary>The final response, or null when Timer B/F fired (then <see cref="Failure"/> says why).</summary>
    public Task<SipMessage?> FinalResponse => _final.Task;

    internal void Start()
    {
        var t = Layer.Timers;
        Layer.Sender.Send(Request, Remote);
        if (!Remote.IsReliable)
        {
            // Timer A / E start at T1 and double (§17.1.1.2, §17.1.2.2).
            StartRetransmitting(OnRetransmit, t.T1);
        }
        // Timer B / F: 64*T1.
        StartTimeout(OnTimeout, t.TransactionTimeout);
    }

    private void OnRetransmit()
    {
        if (State is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
        {
            // An INVITE stops retransmitting once a provisional response arrives (§17.1.1.2).
            if (IsInvite && State == SipTransactionState.Proceeding) return;
            Layer.Sender.Send(Request, Remote);
            var t = Layer.Timers;
            // INVITE: doubling without bound (Timer A); non-INVITE: min(2*interval, T2), and T2 in Proceeding.
            RetransmitAgainAfter(IsInvite ? RetransmitInterval * 2
                : State == SipTransactionState.Proceeding ? t.T2 : TimeSpan.FromTicks(Math.Min((RetransmitInterval * 2).Ticks, t.T2.Ticks)));
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
                StopRetransmitAndTimeout();
                if (IsInvite && code < 300)
                {
                    // RFC 6026 §7.2: Accepted, so 2xx retransmissions still reach the TU for 64*T1.
                    State = SipTransactionState.Accepted;
                    Linger(Layer.Timers.TransactionTimeout);
                }
                else
                {
                    State = SipTransactionState.Completed;
                    if (IsInvite) Layer.Sender.Send(SipMessageFactory.CreateAckForFailure(Request, response), Remote);
                    // Timer D (>= 32 s on UDP) / Timer K (T4 on UDP); zero on reliable transports.
                    Linger(Remote.IsReliable ? TimeSpan.Zero : IsInvite ? Layer.Timers.TimerDUnreliable : Layer.Timers.T4);
                }
                Raise(response);
                _final.TrySetResult(response);
                return;
            case SipTransactionState.Completed:
                // Retransmitted final response: the ACK is sent again, nothing goes to the TU (§17.1.1.2).
                if (IsInvite && code >= 300) Layer.Sender.Send(SipMessageFactory.CreateAckForFailure(Request, response), Remote);
                return;
            case SipTransactionState.Accepted:
                if (code >= 200 && code < 300) Raise(response);
                return;
        }
    }

    private void Raise(SipMessage response) => ResponseReceived?.Invoke(this, response);

    private protected override void OnTerminated()
    {
        Layer.Remove(this);
        _final.TrySetResult(LastResponse is { StatusCode: >= 200 } ? LastResponse : null);
    }
}
