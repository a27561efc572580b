using System.Collections.Concurrent;
using Callbridge.Sip.Dialogs;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Calls;

/// <summary>The UA core (RFC 3261 §8, §12-15) over a transaction layer: incoming calls as objects to answer
/// or reject, outgoing calls with events, in-dialog requests routed to their call, CANCEL matched (§9.2).</summary>
public sealed class SipUserAgent
{
    private readonly ConcurrentDictionary<SipCall, byte> _calls = new();

    public SipUserAgent(ISipSender sender, TimeProvider time, SipUserAgentOptions? options = null, SipTimerSettings? timers = null)
    {
        Sender = sender ?? throw new ArgumentNullException(nameof(sender));
        Options = options ?? new SipUserAgentOptions();
        Transactions = new SipTransactionLayer(sender, time, timers);
        Transactions.RequestReceived += OnRequest;
        Transactions.AckReceived += OnAck;
        Transactions.StrayResponse += OnStrayResponse;
    }

    public ISipSender Sender { get; }
    public SipUserAgentOptions Options { get; }
    public SipTransactionLayer Transactions { get; }

    /// <summary>A new INVITE passed the checks of §8.2; the handler rings, answers or rejects it.</summary>
    public event Action<SipIncomingCall>? IncomingCall;

    /// <summary>Connect to a transport: <c>transport.MessageReceived = agent.OnMessage</c>.</summary>
    public void OnMessage(SipMessage message, SipRemote remote) => Transactions.OnMessage(message, remote);

    internal T Locked<T>(Func<T> f)
    {
        T result = default!;
        Transactions.Locked(() => result = f());
        return result;
    }

    internal void Locked(Action a) => Transactions.Locked(a);

    internal void Forget(SipCall call) => _calls.TryRemove(call, out _);

    public int ActiveCalls => _calls.Count;

    internal SipUri ContactUri(SipRemote remote)
    {
        var local = Sender.LocalEndPoint;
        var u = SipUri.Sip(Options.User, local.Address.ToString(), local.Port);
        if (remote.Protocol == SipTransportProtocol.Tcp) u.Parameters.Set("transport", "tcp");
        return u;
    }

    internal SipMessage CreateOk(SipMessage request, string localTag, SipRemote remote, string? sdp)
    {
        var ok = SipMessageFactory.CreateResponse(request, 200, "OK", localTag);
        ok.Add("Contact", new SipNameAddress(ContactUri(remote)).ToString());
        ok.Add("Allow", Options.Allow);
        ok.Add("Server", Options.UserAgent);
        if (sdp is not null) ok.SetBody(System.Text.Encoding.UTF8.GetBytes(sdp), "application/sdp");
        return ok;
    }

    /// <summary>Places a call: INVITE with our SDP offer to <paramref name="target"/> via <paramref name="remote"/>.</summary>
    public SipOutgoingCall Call(SipUri target, SipRemote remote, string sdp, SipNameAddress? from = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sdp);
        return Locked(() =>
        {
            var local = Sender.LocalEndPoint;
            var fromAddr = from?.Clone() ?? new SipNameAddress(SipUri.Sip(Options.User, local.Address.ToString()), Options.DisplayName);
            fromAddr.Tag = SipMessageFactory.NewTag();
            var inv = SipMessage.CreateRequest("INVITE", target.ToString());
            inv.Add("Via", SipDialog.NewVia(remote, local).ToString())
               .Add("Max-Forwards", "70")
               .Add("From", fromAddr.ToString())
               .Add("To", new SipNameAddress(target.Clone()).ToString())
               .Add("Call-ID", SipMessageFactory.NewCallId(local.Address.ToString()))
               .Add("CSeq", "1 INVITE")
               .Add("Contact", new SipNameAddress(ContactUri(remote)).ToString())
               .Add("Allow", Options.Allow)
               .Add("User-Agent", Options.UserAgent);
            inv.SetBody(System.Text.Encoding.UTF8.GetBytes(sdp), "application/sdp");
            var call = new SipOutgoingCall(this, remote, inv, sdp);
            _calls[call] = 0;
            call.Start();
            return call;
        });
    }

    /// <summary>
    /// Out-of-dialog OPTIONS (RFC 3261 §11): the trunk keepalive and reachability probe. A 401/407 is answered once
    /// with the configured credentials (§22.2). Returns the final response, or null when nothing answered
    /// within Timer F (64*T1).
    /// </summary>
    public async Task<SipMessage?> PingAsync(SipUri target, SipRemote remote)
    {
        ArgumentNullException.ThrowIfNull(target);
        string callId = SipMessageFactory.NewCallId(Sender.LocalEndPoint.Address.ToString());
        string tag = SipMessageFactory.NewTag();
        var first = Locked(() => Transactions.SendRequest(NewOptions(target, remote, callId, tag, 1, null), remote));
        var final = await first.FinalResponse.ConfigureAwait(false);
        if (final is not { StatusCode: 401 or 407 }) return final;
        var auth = CreateCredentials(Options, final, "OPTIONS", target.ToString(), 1);
        if (auth is null) return final;
        var second = Locked(() => Transactions.SendRequest(NewOptions(target, remote, callId, tag, 2, auth), remote));
        return await second.FinalResponse.ConfigureAwait(false);
    }

    private SipMessage NewOptions(SipUri target, SipRemote remote, string callId, string tag, uint cseq, (string Header, string Value)? auth)
    {
        var local = Sender.LocalEndPoint;
        var from = new SipNameAddress(SipUri.Sip(Options.User, local.Address.ToString()), Options.DisplayName) { Tag = tag };
        var req = SipMessage.CreateRequest("OPTIONS", target.ToString());
        req.Add("Via", SipDialog.NewVia(remote, local).ToString())
           .Add("Max-Forwards", "70")
           .Add("From", from.ToString())
           .Add("To", new SipNameAddress(target.Clone()).ToString())
           .Add("Call-ID", callId)
           .Add("CSeq", SipCall.Cseq(cseq, "OPTIONS"))
           .Add("Contact", new SipNameAddress(ContactUri(remote)).ToString())
           .Add("Accept", "application/sdp")
           .Add("User-Agent", Options.UserAgent);
        if (auth is { } a) req.Add(a.Header, a.Value);
        req.SetBody(ReadOnlyMemory<byte>.Empty, null);
        return req;
    }

    /// <summary>The credentials answering a 401 (Authorization) or 407 (Proxy-Authorization) challenge (§22.2,
    /// §22.3), or null when no credentials are configured or the challenge is not a Digest we implement.</summary>
    internal static (string Header, string Value)? CreateCredentials(SipUserAgentOptions options, SipMessage challenge, string method, string uri, int nonceCount)
    {
        if (options.AuthUser is null) return null;
        bool proxy = challenge.StatusCode == 407;
        var header = challenge.Find(proxy ? SipHeaderKind.ProxyAuthenticate : SipHeaderKind.WwwAuthenticate);
        if (header is null || !Auth.SipDigestChallenge.TryParse(header.UnfoldedValue, out var ch) || !Auth.SipDigest.IsSupported(ch.Algorithm)) return null;
        return (proxy ? "Proxy-Authorization" : "Authorization",
            Auth.SipDigest.CreateAuthorization(ch, options.AuthUser, options.AuthPassword ?? string.Empty, method, uri, nonceCount));
    }

    private SipCall? FindCall(SipMessage m)
    {
        foreach (var c in _calls.Keys)
        {
            if (c.CallId != m.CallId) continue;
            if (c.Dialog is not null && c.Dialog.Matches(m)) return c;
            if (c is SipIncomingCall ic && m.IsRequest && m.From?.Tag == ic.Invite.From?.Tag && (m.To?.Tag is null || m.To.Tag == ic.LocalTag)) return c;
        }
        return null;
    }

    private void OnRequest(SipServerTransaction tx)
    {
        var req = tx.Request;
        if (req.Method == "CANCEL")
        {
            // §9.2: 481 when nothing matches; else 200 to the CANCEL and 487 to the INVITE.
            var inviteTx = Transactions.FindInviteFor(req);
            var call = inviteTx is null ? null : _calls.Keys.OfType<SipIncomingCall>().FirstOrDefault(c => ReferenceEquals(c.Invite, inviteTx.Request));
            if (inviteTx is null || call is null)
            {
                tx.Respond(SipMessageFactory.CreateResponse(req, 481, "Call/Transaction Does Not Exist"));
                return;
            }
            tx.Respond(SipMessageFactory.CreateResponse(req, 200, "OK"));
            call.OnCancel(req);
            return;
        }
        if (req.To?.Tag is not null)
        {
            var call = FindCall(req);
            if (call?.Dialog is null)
            {
                tx.Respond(SipMessageFactory.CreateResponse(req, 481, "Call/Transaction Does Not Exist"));
                return;
            }
            call.OnInDialogRequest(tx);
            return;
        }
        var check = SipRequestCheck.Check(req, Options.SupportedExtensions, Options.AcceptedContentTypes);
        if (!check.IsAccepted)
        {
            var r = SipMessageFactory.CreateResponse(req, check.StatusCode, check.ReasonPhrase, SipMessageFactory.NewTag());
            if (check.StatusCode == 420) r.Add("Unsupported", check.Unsupported!);
            if (check.StatusCode == 415) r.Add("Accept", string.Join(", ", Options.AcceptedContentTypes));
            tx.Respond(r);
            return;
        }
        switch (req.Method)
        {
            case "INVITE":
                var call = new SipIncomingCall(this, tx);
                _calls[call] = 0;
                if (IncomingCall is null) call.Reject(480, "Temporarily Unavailable");
                else IncomingCall(call);
                break;
            case "OPTIONS":
                var ok = SipMessageFactory.CreateResponse(req, 200, "OK", SipMessageFactory.NewTag());
                ok.Add("Allow", Options.Allow);
                ok.Add("Accept", string.Join(", ", Options.AcceptedContentTypes));
                tx.Respond(ok);
                break;
            case "BYE":
                tx.Respond(SipMessageFactory.CreateResponse(req, 481, "Call/Transaction Does Not Exist"));
                break;
            default:
                var na = SipMessageFactory.CreateResponse(req, 405, "Method Not Allowed", SipMessageFactory.NewTag());
                na.Add("Allow", Options.Allow);
                tx.Respond(na);
                break;
        }
    }

    private void OnAck(SipMessage ack, SipRemote remote) => FindCall(ack)?.OnAck(ack);

    private void OnStrayResponse(SipMessage response, SipRemote remote)
    {
        // A 2xx retransmission after the INVITE transaction ended: the call re-sends its ACK (§13.2.2.4).
        // Nothing else is expected here; other stray responses are dropped (§18.1.2).
    }
}
