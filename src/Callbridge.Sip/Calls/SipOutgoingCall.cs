using System.Text;
using Callbridge.Sip.Auth;
using Callbridge.Sip.Dialogs;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Calls;

/// <summary>An INVITE we sent: events for ringing and answer, an outcome for busy / no-answer / failure,
/// digest retry on 401/407, CANCEL before answer, ACK for the 2xx (§13.2.2.4).</summary>
public sealed class SipOutgoingCall : SipCall
{
    private SipMessage _invite;
    private SipClientTransaction _tx;
    private SipMessage? _ack;
    private bool _cancelRequested, _cancelSent, _authTried, _staleRetried;
    private int _nonceCount;
    private ITimer? _noAnswer;
    private SipCallOutcome _cancelOutcome = SipCallOutcome.Cancelled;
    private SipReason? _cancelReason;

    internal SipOutgoingCall(SipUserAgent agent, SipRemote remote, SipMessage invite, string sdp) : base(agent, remote)
    {
        _invite = invite;
        CallId = invite.CallId!;
        LocalSdp = sdp;
        _tx = null!;
    }

    /// <summary>A 180/183 arrived.</summary>
    public event Action<SipOutgoingCall, SipMessage>? Ringing;

    /// <summary>The 2xx arrived and was ACKed; <see cref="SipCall.RemoteSdp"/> holds the answer.</summary>
    public event Action<SipOutgoingCall, SipMessage>? Answered;

    /// <summary>Completes with the first 180/183.</summary>
    public Task<SipMessage> RingingTask => _ringing.Task;
    private readonly TaskCompletionSource<SipMessage> _ringing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the 2xx once answered (never completes if the call fails; see Ended).</summary>
    public Task<SipMessage> AnsweredTask => _answered.Task;
    private readonly TaskCompletionSource<SipMessage> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void Start()
    {
        _tx = Agent.Transactions.SendRequest(_invite, Remote);
        _tx.ResponseReceived += OnResponse;
        _ = WatchTimeout(_tx);
        _noAnswer = Agent.Transactions.Time.CreateTimer(_ => Agent.Locked(() =>
        {
            if (Dialog?.State == SipDialogState.Confirmed || IsEnded) return;
            _cancelOutcome = SipCallOutcome.NoAnswer;
            CancelLocked(SipReason.Sip(480, "No Answer"));
        }), null, Agent.Options.NoAnswerTimeout, Timeout.InfiniteTimeSpan);
    }

    private async Task WatchTimeout(SipClientTransaction tx)
    {
        var final = await tx.FinalResponse.ConfigureAwait(false);
        if (final is null) Agent.Locked(() =>
        {
            if (ReferenceEquals(tx, _tx) && !IsEnded) Finish(SipCallOutcome.Failed, 408, "Request Timeout");
        });
    }

    /// <summary>CANCEL before answer (§9.1); sent once a provisional response has arrived.</summary>
    public void Cancel(SipReason? reason = null) => Agent.Locked(() => CancelLocked(reason));

    private void CancelLocked(SipReason? reason)
    {
        if (IsEnded || Dialog?.State == SipDialogState.Confirmed) return;
        _cancelRequested = true;
        _cancelReason = reason;
        if (_tx.State == SipTransactionState.Proceeding) SendCancel();
    }

    private void SendCancel()
    {
        if (_cancelSent) return;
        _cancelSent = true;
        Agent.Transactions.SendRequest(SipMessageFactory.CreateCancel(_invite, _cancelReason), Remote);
    }

    private void OnResponse(SipClientTransaction tx, SipMessage r)
    {
        if (!ReferenceEquals(tx, _tx) || IsEnded && r.StatusCode >= 300) return;
        int code = r.StatusCode;
        if (code < 200)
        {
            if (r.To?.Tag is not null && Dialog is null) Dialog = SipDialog.CreateAsUac(_invite, r);
            if (_cancelRequested) SendCancel();
            if (code is 180 or 183)
            {
                _ringing.TrySetResult(r);
                Ringing?.Invoke(this, r);
            }
            return;
        }
        if (code < 300)
        {
            if (_ack is not null)
            {
                // A retransmitted 2xx: our ACK was lost; send it again (§13.2.2.4).
                Agent.Sender.Send(_ack, TargetRemote());
                return;
            }
            _noAnswer?.Dispose();
            if (Dialog is null || Dialog.RemoteTag != r.To?.Tag) Dialog = SipDialog.CreateAsUac(_invite, r);
            Dialog!.Confirm(r);
            if (!r.Body.IsEmpty) RemoteSdp = Encoding.UTF8.GetString(r.Body.Span);
            // ACK for 2xx: its own transaction-less request, CSeq number of the INVITE, new branch (§13.2.2.4).
            _ack = NewInDialogRequest("ACK", _invite.CSeq!.Value.Number);
            Agent.Sender.Send(_ack, TargetRemote());
            if (_cancelRequested)
            {
                // The answer crossed our CANCEL: the call exists, so it is ended with BYE (§9.1).
                _ = HangupAsync(_cancelReason);
                return;
            }
            _answered.TrySetResult(r);
            Answered?.Invoke(this, r);
            return;
        }
        if ((code == 401 || code == 407) && Agent.Options.AuthUser is not null)
        {
            var challengeHeader = r.Find(code == 401 ? SipHeaderKind.WwwAuthenticate : SipHeaderKind.ProxyAuthenticate);
            // One answer per challenge; a second challenge is answered only when it says the nonce was merely
            // stale (RFC 2617 §3.2.1: the credentials were right), so wrong credentials end the call.
            if (challengeHeader is not null && SipDigestChallenge.TryParse(challengeHeader.UnfoldedValue, out var ch) && SipDigest.IsSupported(ch.Algorithm)
                && (!_authTried || ch.Stale && !_staleRetried))
            {
                if (_authTried) _staleRetried = true;
                _authTried = true;
                _nonceCount = 0;
                Retry(code == 401 ? "Authorization" : "Proxy-Authorization",
                    SipDigest.CreateAuthorization(ch, Agent.Options.AuthUser, Agent.Options.AuthPassword ?? string.Empty, "INVITE", _invite.RequestUri, ++_nonceCount));
                return;
            }
        }
        _noAnswer?.Dispose();
        var outcome = code switch
        {
            486 or 600 or 603 => SipCallOutcome.Busy,
            408 or 480 => SipCallOutcome.NoAnswer,
            487 when _cancelRequested => _cancelOutcome,
            _ => SipCallOutcome.Failed,
        };
        Finish(outcome, code, r.ReasonPhrase);
    }

    /// <summary>Same Call-ID, From tag and To; CSeq + 1; new branch; credentials added (§22.2).</summary>
    private void Retry(string header, string value)
    {
        var next = SipMessage.CreateRequest("INVITE", _invite.RequestUri);
        var via = _invite.TopVia!;
        via.Branch = SipMessageFactory.NewBranch();
        foreach (var h in _invite.Headers)
        {
            if (h.Kind == SipHeaderKind.Via) next.Add("Via", via.ToString());
            else if (h.Kind == SipHeaderKind.CSeq) next.Add("CSeq", Cseq(_invite.CSeq!.Value.Number + 1, "INVITE"));
            else if (h.Kind is SipHeaderKind.Authorization or SipHeaderKind.ProxyAuthorization) continue;
            else next.Headers.Add(h);
        }
        next.Add(header, value);
        next.SetBody(_invite.Body, "application/sdp");
        _invite = next;
        _tx = Agent.Transactions.SendRequest(next, Remote);
        _tx.ResponseReceived += OnResponse;
        _ = WatchTimeout(_tx);
    }

    private void Finish(SipCallOutcome outcome, int code, string? reason) => End(outcome, code, reason);
}
