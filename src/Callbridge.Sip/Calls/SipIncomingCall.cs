using System.Text;
using Callbridge.Sip.Dialogs;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;

namespace Callbridge.Sip.Calls;

/// <summary>An INVITE received: ring, answer, reject, or hang up once answered. Cancelled when the caller
/// sends CANCEL first (§9.2: 487 to the INVITE).</summary>
public sealed class SipIncomingCall : SipCall
{
    private readonly SipServerTransaction _invite;
    private readonly string _localTag = SipMessageFactory.NewTag();
    private readonly TaskCompletionSource _acked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SipIncomingCall(SipUserAgent agent, SipServerTransaction invite) : base(agent, invite.Remote)
    {
        _invite = invite;
        CallId = invite.Request.CallId!;
        if (!invite.Request.Body.IsEmpty) RemoteSdp = Encoding.UTF8.GetString(invite.Request.Body.Span);
    }

    public SipMessage Invite => _invite.Request;
    public SipNameAddress? Caller => _invite.Request.From;
    /// <summary>Completes when the caller ACKs our 2xx.</summary>
    public Task Acked => _acked.Task;

    internal string LocalTag => _localTag;

    /// <summary>180 Ringing with our tag: an early dialog (§13.3.1.1).</summary>
    public void Ring() => Agent.Locked(() =>
    {
        if (IsEnded || _invite.IsFinal) return;
        var r = SipMessageFactory.CreateResponse(_invite.Request, 180, "Ringing", _localTag);
        r.Add("Contact", new SipNameAddress(Agent.ContactUri(Remote)).ToString());
        Dialog ??= SipDialog.CreateAsUas(_invite.Request, _localTag, early: true);
        _invite.Respond(r);
    });

    /// <summary>200 OK with our SDP; retransmitted until the ACK (§13.3.1.4).</summary>
    public void Answer(string sdp) => Agent.Locked(() =>
    {
        if (IsEnded || _invite.IsFinal) return;
        LocalSdp = sdp;
        Dialog ??= SipDialog.CreateAsUas(_invite.Request, _localTag, early: false);
        Dialog.Confirm();
        var ok = Agent.CreateOk(_invite.Request, _localTag, Remote, sdp);
        _invite.Respond(ok);
        Agent.Transactions.RetransmitUntilAck(ok, Remote, () => _acked.TrySetResult(), OnNoAck);
    });

    /// <summary>A final non-2xx (e.g. 486 Busy Here, 603 Decline) with an optional Reason (RFC 3326).</summary>
    public void Reject(int statusCode, string reasonPhrase, SipReason? reason = null) => Agent.Locked(() =>
    {
        if (IsEnded || _invite.IsFinal) return;
        var r = SipMessageFactory.CreateResponse(_invite.Request, statusCode, reasonPhrase, _localTag);
        if (reason is not null) r.Add("Reason", reason.ToString());
        _invite.Respond(r);
        End(SipCallOutcome.Rejected, statusCode, reasonPhrase);
    });

    private void OnNoAck()
    {
        // §13.3.1.4: no ACK within 64*T1 -> the UAS confirms nothing and ends the dialog with BYE.
        var bye = NewInDialogRequest("BYE");
        bye.Add("Reason", SipReason.Sip(408, "No ACK").ToString());
        Agent.Transactions.SendRequest(bye, TargetRemote());
        End(SipCallOutcome.NoAck, 408, "No ACK");
    }

    internal override void OnAck(SipMessage ack)
    {
        if (!ack.Body.IsEmpty && RemoteSdp is null) RemoteSdp = Encoding.UTF8.GetString(ack.Body.Span);
        _acked.TrySetResult();
        base.OnAck(ack);
    }

    /// <summary>CANCEL matched our INVITE (§9.2): 487 to the INVITE if not answered yet.</summary>
    internal void OnCancel(SipMessage cancel)
    {
        if (_invite.IsFinal) return;
        var r = SipMessageFactory.CreateResponse(_invite.Request, 487, "Request Terminated", _localTag);
        _invite.Respond(r);
        var reason = cancel.Reasons.FirstOrDefault();
        End(SipCallOutcome.Cancelled, 487, reason?.Text);
    }
}
