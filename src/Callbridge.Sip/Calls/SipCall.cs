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
        _keepalive?.Dispose();
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
        if (tx is not null) await AuthenticateIfChallengedAsync(tx).ConfigureAwait(false);
    }

    /// <summary>
    /// A trunk may challenge in-dialog requests too (RFC 3261 §22.2, §22.3): a 401/407 to BYE, OPTIONS or INFO is
    /// answered once with credentials, as the same request with the next CSeq and a new branch. Returns the
    /// last final response (null on timeout).
    /// </summary>
    private async Task<SipMessage?> AuthenticateIfChallengedAsync(SipClientTransaction tx)
    {
        var final = await tx.FinalResponse.ConfigureAwait(false);
        if (final is not { StatusCode: 401 or 407 } || Agent.Options.AuthUser is null) return final;
        var retry = Agent.Locked(() =>
        {
            var auth = SipUserAgent.CreateCredentials(Agent.Options, final, tx.Request.Method, tx.Request.RequestUri, 1);
            if (auth is null) return null;
            var again = NewInDialogRequest(tx.Request.Method);
            foreach (var reason in tx.Request.FindAll(SipHeaderKind.Reason)) again.Headers.Add(reason);
            if (!tx.Request.Body.IsEmpty) again.SetBody(tx.Request.Body, tx.Request.ContentType);
            again.Add(auth.Value.Header, auth.Value.Value);
            return Agent.Transactions.SendRequest(again, TargetRemote());
        });
        return retry is null ? final : await retry.FinalResponse.ConfigureAwait(false);
    }

    /// <summary>
    /// Answers an offer that arrives in a re-INVITE (RFC 3264 §8): given the remote SDP offer, returns our answer,
    /// or null to refuse it with 488 so the session stays as it was (RFC 3261 §14.2). Hold (a=sendonly or
    /// a=inactive, RFC 3264 §8.4) is the usual case: the answerer replies recvonly or inactive. When no
    /// answerer is set, the current local SDP is sent again.
    /// </summary>
    public Func<string, string?>? OfferAnswerer { get; set; }

    /// <summary>
    /// Session liveness: an in-dialog OPTIONS every <paramref name="interval"/> (RFC 3261 §11). A 408 or 481 answer,
    /// or none at all, means the peer has lost the dialog (RFC 5057 §5.1): the call ends with
    /// <see cref="SipCallOutcome.KeepaliveFailed"/> (after a BYE when the peer said nothing, in case only the
    /// OPTIONS were lost). Any other final answer, 405 included, proves the dialog is alive.
    /// </summary>
    public void StartKeepalive(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Agent.Locked(() =>
        {
            _keepalive?.Dispose();
            if (IsEnded) return;
            _keepalive = Agent.Transactions.Time.CreateTimer(_ => _ = ProbeAsync(), null, interval, interval);
        });
    }

    private async Task ProbeAsync()
    {
        var tx = Agent.Locked(() =>
        {
            if (IsEnded || Dialog?.State != SipDialogState.Confirmed || _probing) return null;
            _probing = true;
            var t = Agent.Transactions.SendRequest(NewInDialogRequest("OPTIONS"), TargetRemote());
            // A plain final answer is handled as it arrives (under the layer's lock), so the next probe sees the
            // outcome of this one; challenges and timeouts take the awaited path below.
            t.ResponseReceived += (_, r) => { if (r.StatusCode >= 200 && r.StatusCode is not (401 or 407)) ProbeAnswered(r); };
            return t;
        });
        if (tx is null) return;
        var final = await tx.FinalResponse.ConfigureAwait(false);
        if (final is null) ProbeAnswered(null);
        else if (final.StatusCode is 401 or 407) ProbeAnswered(await AuthenticateIfChallengedAsync(tx).ConfigureAwait(false));
    }

    private void ProbeAnswered(SipMessage? final) => Agent.Locked(() =>
    {
        if (!_probing) return;
        _probing = false;
        if (IsEnded) return;
        if (final is null)
        {
            var bye = NewInDialogRequest("BYE");
            bye.Add("Reason", SipReason.Sip(408, "Keepalive timed out").ToString());
            Agent.Transactions.SendRequest(bye, TargetRemote());
            End(SipCallOutcome.KeepaliveFailed, 408, "Keepalive timed out");
        }
        else if (final.StatusCode is 408 or 481)
        {
            End(SipCallOutcome.KeepaliveFailed, final.StatusCode, final.ReasonPhrase);
        }
    });

    private ITimer? _keepalive;
    private bool _probing, _reinviting, _answerInAck;

    /// <summary>Sends a re-INVITE with a new SDP offer (§14.1); on 2xx the answer is stored, the target refreshed
    /// and the ACK sent (§13.2.2.4). Returns the final response, or null on timeout.</summary>
    public async Task<SipMessage?> ReinviteAsync(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var tx = Agent.Locked<SipClientTransaction?>(() =>
        {
            if (Dialog is null || Dialog.State != SipDialogState.Confirmed || IsEnded || _reinviting) return null;
            _reinviting = true;
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
        Agent.Locked(() => _reinviting = false);
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

    /// <summary>
    /// Sends an in-dialog INFO (RFC 6086 §4.2) carrying <paramref name="body"/> of <paramref name="contentType"/>,
    /// e.g. an <c>application/dtmf-relay</c> key press; a 401/407 is answered once with credentials. Returns the
    /// final response, or null when the call is not confirmed or the request timed out.
    /// </summary>
    public async Task<SipMessage?> SendInfoAsync(string contentType, ReadOnlyMemory<byte> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var tx = Agent.Locked<SipClientTransaction?>(() =>
        {
            if (Dialog is null || Dialog.State != SipDialogState.Confirmed || IsEnded) return null;
            var info = NewInDialogRequest("INFO");
            info.SetBody(body.ToArray(), contentType);
            return Agent.Transactions.SendRequest(info, TargetRemote());
        });
        return tx is null ? null : await AuthenticateIfChallengedAsync(tx).ConfigureAwait(false);
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
                if (_reinviting)
                {
                    // §14.2: an offer crossing our own pending re-INVITE is refused; each side retries later.
                    var pending = SipMessageFactory.CreateResponse(req, 491, "Request Pending");
                    tx.Respond(pending);
                    return;
                }
                string? answer = LocalSdp;
                if (!req.Body.IsEmpty)
                {
                    string offer = Encoding.UTF8.GetString(req.Body.Span);
                    answer = OfferAnswerer is null ? LocalSdp : OfferAnswerer(offer);
                    if (answer is null)
                    {
                        // §14.2: the offer is refused; the session (and the remote target) stay unchanged.
                        var refused = SipMessageFactory.CreateResponse(req, 488, "Not Acceptable Here");
                        tx.Respond(refused);
                        return;
                    }
                    RemoteSdp = offer;
                }
                else
                {
                    // RFC 3264 §5 / RFC 3261 §14.2: no offer in the re-INVITE, so our 2xx carries one and the ACK the answer.
                    _answerInAck = true;
                }
                // Target refresh on success (§12.2.2; RFC 6141 §3.2 applies it only once the request is accepted).
                Dialog.UpdateRemoteTarget(req);
                LocalSdp = answer;
                var ok = Agent.CreateOk(req, Dialog.LocalTag, Remote, answer);
                tx.Respond(ok);
                Agent.Transactions.RetransmitUntilAck(ok, tx.Remote, () => { }, () => { });
                break;
            default:
                tx.Respond(SipMessageFactory.CreateResponse(req, 200, "OK"));
                break;
        }
        InDialogRequest?.Invoke(this, req);
    }

    internal virtual void OnAck(SipMessage ack)
    {
        if (!_answerInAck) return;
        _answerInAck = false;
        if (!ack.Body.IsEmpty) RemoteSdp = Encoding.UTF8.GetString(ack.Body.Span);
    }

    internal static string Cseq(uint n, string method) => n.ToString(CultureInfo.InvariantCulture) + " " + method;
}
