using System.Globalization;
using System.Net;
using System.Text;
using Callbridge.Sip.Dialogs;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Calls;

/// <summary>What incoming and outgoing calls share: the dialog, the remote, in-dialog requests, hangup.</summary>
public abstract class SipCall
{
    private readonly TaskCompletionSource<SipCallEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected SipCall(SipUserAgent agent, SipRemote remote)
    {
        Agent = agent;
        Remote = remote;
    }

    private protected SipUserAgent Agent { get; }
    public SipRemote Remote { get; private protected set; }
    public SipDialog? Dialog { get; private protected set; }
    public string CallId { get; private protected set; } = string.Empty;
    /// <summary>The remote SDP (offer for incoming, answer for outgoing).</summary>
    public string? RemoteSdp { get; private protected set; }
    public string? LocalSdp { get; private protected set; }

    /// <summary>Completes once, with why the call ended.</summary>
    public Task<SipCallEnd> Ended => _ended.Task;

    /// <summary>Raised for each in-dialog request after it was answered (re-INVITE, INFO, OPTIONS, BYE).</summary>
    public event Action<SipCall, SipMessage>? InDialogRequest;

    private protected bool End(SipCallOutcome outcome, int status, string? reason)
    {
        Dialog?.Terminate();
        Agent.Forget(this);
        return _ended.TrySetResult(new SipCallEnd(outcome, status, reason));
    }

    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>Ends a confirmed call with BYE carrying a Reason (RFC 3326); completes when the BYE is answered.</summary>
    public async Task HangupAsync(SipReason? reason = null)
    {
        var tx = Agent.Locked(() =>
        {
            if (Dialog is null || Dialog.State != SipDialogState.Confirmed || IsEnded) return null;
            var bye = NewInDialogRequest("BYE");
            if (reason is not null) bye.Add("Reason", reason.ToString());
            End(SipCallOutcome.LocalHangup, 0, reason?.Text);
            return Agent.Transactions.SendRequest(bye, TargetRemote());
        });
        if (tx is not null) await tx.FinalResponse.ConfigureAwait(false);
    }

    /// <summary>Sends a re-INVITE with a new SDP offer (§14.1); on 2xx the answer is stored, the target refreshed
    /// and the ACK sent (§13.2.2.4). Returns the final response, or null on timeout.</summary>
    public async Task<SipMessage?> ReinviteAsync(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var tx = Agent.Locked<SipClientTransaction?>(() =>
        {
            if (Dialog is null || Dialog.State != SipDialogState.Confirmed || IsEnded) return null;
            var inv = NewInDialogRequest("INVITE");
            inv.SetBody(Encoding.UTF8.GetBytes(sdp), "application/sdp");
            var t = Agent.Transactions.SendRequest(inv, TargetRemote());
            t.ResponseReceived += (_, r) =>
            {
                if (r.StatusCode is < 200 or >= 300) return;
                // Every 2xx (first or retransmitted) gets the ACK with the re-INVITE's CSeq number.
                Agent.Sender.Send(NewInDialogRequest("ACK", inv.CSeq!.Value.Number), TargetRemote());
            };
            return t;
        });
        if (tx is null) return null;
        var final = await tx.FinalResponse.ConfigureAwait(false);
        if (final is { StatusCode: >= 200 and < 300 })
        {
            Agent.Locked(() =>
            {
                LocalSdp = sdp;
                Dialog!.UpdateRemoteTarget(final);
                if (!final.Body.IsEmpty) RemoteSdp = Encoding.UTF8.GetString(final.Body.Span);
            });
        }
        return final;
    }

    private protected SipMessage NewInDialogRequest(string method, uint? cseqForAck = null)
    {
        var req = Dialog!.CreateRequest(method, SipDialog.NewVia(Remote, Agent.Sender.LocalEndPoint), Agent.ContactUri(Remote), cseqForAck);
        req.Add("User-Agent", Agent.Options.UserAgent);
        return req;
    }

    /// <summary>Where in-dialog requests go: the first Route or remote target when it is an IP literal, else the
    /// address the dialog was set up with (no DNS here; RFC 3263 resolution belongs to a later layer).</summary>
    private protected SipRemote TargetRemote()
    {
        var hop = Dialog?.NextHop;
        if (hop is not null && IPAddress.TryParse(hop.Host.Trim('[', ']'), out var ip))
        {
            var proto = string.Equals(hop.Parameters["transport"], "tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportProtocol.Tcp : Remote.Protocol;
            return new SipRemote(proto, new IPEndPoint(ip, hop.Port ?? 5060));
        }
        return Remote;
    }

    /// <summary>In-dialog request from the peer (§12.2.2).</summary>
    internal void OnInDialogRequest(SipServerTransaction tx)
    {
        var req = tx.Request;
        if (!Dialog!.AcceptRemoteSequence(req))
        {
            tx.Respond(SipMessageFactory.CreateResponse(req, 500, "Server Internal Error - CSeq Out Of Order"));
            return;
        }
        switch (req.Method)
        {
            case "BYE":
                tx.Respond(SipMessageFactory.CreateResponse(req, 200, "OK"));
                var reason = req.Reasons.FirstOrDefault();
                End(SipCallOutcome.RemoteHangup, reason?.Cause ?? 0, reason?.Text);
                break;
            case "INVITE":
                // Target refresh (§12.2.2) and answer with our current SDP; media changes are the bridge's business.
                Dialog.UpdateRemoteTarget(req);
                if (!req.Body.IsEmpty) RemoteSdp = Encoding.UTF8.GetString(req.Body.Span);
                var ok = Agent.CreateOk(req, Dialog.LocalTag, Remote, LocalSdp);
                tx.Respond(ok);
                Agent.Transactions.RetransmitUntilAck(ok, tx.Remote, () => { }, () => { });
                break;
            default:
                tx.Respond(SipMessageFactory.CreateResponse(req, 200, "OK"));
                break;
        }
        InDialogRequest?.Invoke(this, req);
    }

    internal virtual void OnAck(SipMessage ack) { }

    internal static string Cseq(uint n, string method) => n.ToString(CultureInfo.InvariantCulture) + " " + method;
}
