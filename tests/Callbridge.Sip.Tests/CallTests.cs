using System.Net;
using Callbridge.Sip.Auth;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Dialogs;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Two of our user agents over an in-memory network with a manual clock: dialogs (§12), in-dialog
/// requests, CANCEL (§9), digest retry (§22.2), ACK for 2xx (§13.2.2.4).</summary>
public class CallTests : TwoUserAgents
{
    public CallTests() : base(ringBeforeAnswer: true) { }

    [Fact]
    public void CallSetsUpMatchingDialogsOnBothSides()
    {
        var (o, i) = Connect();
        Assert.True(o.AnsweredTask.IsCompletedSuccessfully);
        Assert.True(i.Acked.IsCompletedSuccessfully);
        Assert.Equal(SipDialogState.Confirmed, o.Dialog!.State);
        Assert.Equal(SipDialogState.Confirmed, i.Dialog!.State);
        Assert.Equal((o.Dialog.LocalTag, o.Dialog.RemoteTag), (i.Dialog.RemoteTag, i.Dialog.LocalTag));
        Assert.Equal(o.Dialog.CallId, i.Dialog.CallId);
        // Remote targets come from Contact.
        Assert.Equal("sip:bob@192.0.2.2:5060", o.Dialog.RemoteTarget.ToString());
        Assert.Equal("sip:alice@192.0.2.1:5060", i.Dialog.RemoteTarget.ToString());
        var wire = Net.Log.Select(m => m.IsRequest ? m.Method : m.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["INVITE", "100", "180", "200", "ACK"], wire);
        var ack = Net.Log[4];
        Assert.Equal(new SipCSeq(1, "ACK"), ack.CSeq);
        Assert.NotEqual(Net.Log[0].TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Equal(i.Dialog.LocalTag, ack.To!.Tag);
        // Nothing retransmits once ACKed.
        Time.Advance(TimeSpan.FromSeconds(40));
        Net.Pump();
        Assert.Equal(5, Net.Log.Count);
    }

    [Fact]
    public async Task InDialogRequestsIncrementCSeqAndByeEndsBothSides()
    {
        var (o, i) = Connect();
        var seen = new List<string>();
        i.InDialogRequest += (_, r) => seen.Add(r.Method + " " + r.CSeq!.Value.Number);
        foreach (var method in new[] { "INFO", "OPTIONS" })
        {
            var req = o.Dialog!.CreateRequest(method, new SipVia { Host = "192.0.2.1", Port = 5060, Branch = SipMessageFactory.NewBranch() }, SipUri.Sip("alice", "192.0.2.1", 5060));
            Alice.Transactions.SendRequest(req, ToBob);
            Net.Pump();
        }
        var hang = o.HangupAsync(SipReason.Q850(16, "Normal call clearing"));
        Net.Pump();
        await hang;
        Assert.Equal(["INFO 2", "OPTIONS 3", "BYE 4"], seen);
        Assert.Equal(new SipCallEnd(SipCallOutcome.RemoteHangup, 16, "Normal call clearing"), await i.Ended);
        Assert.Equal(SipCallOutcome.LocalHangup, (await o.Ended).Outcome);
        Assert.Equal(0, Alice.ActiveCalls + Bob.ActiveCalls);
    }

    [Fact]
    public void ReInviteRefreshesTheRemoteTargetAndIsAnswered()
    {
        var (o, i) = Connect();
        var reinvite = o.Dialog!.CreateRequest("INVITE", new SipVia { Host = "192.0.2.1", Port = 5060, Branch = SipMessageFactory.NewBranch() }, SipUri.Sip("alice", "192.0.2.1", 5062));
        reinvite.SetBody(System.Text.Encoding.ASCII.GetBytes(Sdp.Replace("4000", "4002", StringComparison.Ordinal)), "application/sdp");
        var tx = Alice.Transactions.SendRequest(reinvite, ToBob);
        Net.Pump();
        Assert.Equal(200, tx.LastResponse!.StatusCode);
        Assert.Equal("sip:alice@192.0.2.1:5062", i.Dialog!.RemoteTarget.ToString());
        Assert.Contains("4002", i.RemoteSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteSetFromRecordRouteIsUsedInBothDirections()
    {
        var inv = TransactionTests.Request("INVITE");
        inv.InsertFirst("Record-Route", "<sip:p2.example.com;lr>");
        inv.Add("Record-Route", "<sip:p1.example.com;lr>");
        var uas = SipDialog.CreateAsUas(inv, "uastag", early: false);
        Assert.Equal(["sip:p2.example.com;lr", "sip:p1.example.com;lr"], uas.RouteSet.Select(r => r.Uri.ToString()));
        var resp = SipMessageFactory.CreateResponse(inv, 200, "OK", "uastag");
        resp.Add("Contact", "<sip:bob@192.0.2.20:5070>");
        var uac = SipDialog.CreateAsUac(inv, resp)!;
        Assert.Equal(["sip:p1.example.com;lr", "sip:p2.example.com;lr"], uac.RouteSet.Select(r => r.Uri.ToString()));
        var bye = uac.CreateRequest("BYE", new SipVia { Host = "h", Branch = "z9hG4bK1" }, SipUri.Sip("a", "h"));
        Assert.Equal("sip:bob@192.0.2.20:5070", bye.RequestUri);
        Assert.Equal(["sip:p1.example.com;lr", "sip:p2.example.com;lr"], bye.Routes.Select(r => r.Uri.ToString()));
        Assert.Equal(new SipCSeq(2, "BYE"), bye.CSeq);
        // A strict router as first hop: it becomes the Request-URI and the target goes last (§12.2.1.1).
        var strict = TransactionTests.Request("INVITE");
        strict.Add("Record-Route", "<sip:strict.example.com>");
        var resp2 = SipMessageFactory.CreateResponse(strict, 200, "OK", "t");
        resp2.Add("Contact", "<sip:bob@192.0.2.20>");
        var d2 = SipDialog.CreateAsUac(strict, resp2)!;
        var r2 = d2.CreateRequest("BYE", new SipVia { Host = "h", Branch = "z9hG4bK2" }, SipUri.Sip("a", "h"));
        Assert.Equal("sip:strict.example.com", r2.RequestUri);
        Assert.Equal("sip:bob@192.0.2.20", r2.Routes.Last().Uri.ToString());
    }

    [Fact]
    public void EarlyDialogFrom180BecomesConfirmedOn200AndLowerCSeqIsRefused()
    {
        var inv = TransactionTests.Request("INVITE");
        var ringing = SipMessageFactory.CreateResponse(inv, 180, "Ringing", "t1");
        var d = SipDialog.CreateAsUac(inv, ringing)!;
        Assert.Equal(SipDialogState.Early, d.State);
        Assert.Null(SipDialog.CreateAsUac(inv, SipMessageFactory.CreateResponse(inv, 100, "Trying")));
        d.Confirm(SipMessageFactory.CreateResponse(inv, 200, "OK", "t1"));
        Assert.Equal(SipDialogState.Confirmed, d.State);
        var uas = SipDialog.CreateAsUas(TransactionTests.Request("INVITE", cseq: 5), "x", false);
        Assert.False(uas.AcceptRemoteSequence(TransactionTests.Request("INFO", cseq: 4, toTag: "x")));
        Assert.True(uas.AcceptRemoteSequence(TransactionTests.Request("INFO", cseq: 6, toTag: "x")));
    }

    [Fact]
    public async Task CancelBeforeAnswerGives487AndCancelledOnBothSides()
    {
        SipIncomingCall? incoming = null;
        Bob.IncomingCall += c => { incoming = c; c.Ring(); };
        var call = Alice.Call(SipUri.Sip("bob", "192.0.2.2"), ToBob, Sdp);
        Net.Pump();
        call.Cancel(SipReason.Sip(487, "caller gave up"));
        Net.Pump();
        Assert.Equal(new SipCallEnd(SipCallOutcome.Cancelled, 487, "caller gave up"), await incoming!.Ended);
        Assert.Equal(SipCallOutcome.Cancelled, (await call.Ended).Outcome);
        var cancel = Net.Log.Single(m => m.IsRequest && m.Method == "CANCEL");
        Assert.Equal(Net.Log[0].TopVia!.Branch, cancel.TopVia!.Branch);
        Assert.Contains(Net.Log, m => !m.IsRequest && m.StatusCode == 487);
        Assert.Contains(Net.Log, m => m.IsRequest && m.Method == "ACK" && m.TopVia!.Branch == cancel.TopVia.Branch);
    }

    [Fact]
    public async Task CancelForUnknownTransactionGets481AndBusyIsClassified()
    {
        Bob.IncomingCall += c => c.Reject(486, "Busy Here", SipReason.Q850(17, "User busy"));
        var call = Alice.Call(SipUri.Sip("bob", "192.0.2.2"), ToBob, Sdp);
        Net.Pump();
        Assert.Equal(new SipCallEnd(SipCallOutcome.Busy, 486, "Busy Here"), await call.Ended);
        var busy = Net.Log.Single(m => !m.IsRequest && m.StatusCode == 486);
        Assert.Equal(SipReason.Q850(17, "User busy"), Assert.Single(busy.Reasons));
        var stray = SipMessageFactory.CreateCancel(TransactionTests.Request("INVITE", "z9hG4bKnone"));
        var tx = Alice.Transactions.SendRequest(stray, ToBob);
        Net.Pump();
        Assert.Equal(481, tx.LastResponse!.StatusCode);
    }

    [Fact]
    public async Task NoAnswerTimerCancelsAndReportsNoAnswer()
    {
        Bob.IncomingCall += c => c.Ring();
        var call = Alice.Call(SipUri.Sip("bob", "192.0.2.2"), ToBob, Sdp);
        Net.Pump();
        Time.Advance(TimeSpan.FromSeconds(61));
        Net.Pump();
        Assert.Equal(SipCallOutcome.NoAnswer, (await call.Ended).Outcome);
    }

    [Fact]
    public async Task DigestChallengeIsAnsweredWithSha256Credentials()
    {
        // A trunk built on the transaction layer: 401 first, then verifies the digest and answers 200.
        var trunkAddr = new IPEndPoint(IPAddress.Parse("192.0.2.3"), 5060);
        SipTransactionLayer? trunk = null;
        var port = Net.Attach(trunkAddr, (m, r) => trunk!.OnMessage(m, r));
        trunk = new SipTransactionLayer(port, Time);
        string? verified = null;
        trunk.RequestReceived += tx =>
        {
            var auth = tx.Request.Find(SipHeaderKind.Authorization);
            if (auth is null)
            {
                var c = SipMessageFactory.CreateResponse(tx.Request, 401, "Unauthorized", "trunk1");
                c.Add("WWW-Authenticate", "Digest realm=\"trunk.example\", nonce=\"n0nce\", qop=\"auth\", algorithm=SHA-256, opaque=\"op\"");
                tx.Respond(c);
                return;
            }
            SipDigestChallenge.TryParseParams(auth.Value, "Digest", out var p);
            var expected = SipDigest.ComputeResponse("SHA-256", "alice", "trunk.example", "pw", "INVITE", p["uri"], "n0nce", "auth", p["nc"], p["cnonce"]);
            verified = expected == p["response"] ? "ok" : "bad";
            var ok = SipMessageFactory.CreateResponse(tx.Request, 200, "OK", "trunk2");
            ok.Add("Contact", "<sip:trunk@192.0.2.3:5060>");
            tx.Respond(ok);
        };
        var call = Alice.Call(SipUri.Sip("+15550100", "192.0.2.3"), new SipRemote(SipTransportProtocol.Udp, trunkAddr), Sdp);
        Net.Pump();
        Assert.Equal("ok", verified);
        Assert.Equal(200, (await call.AnsweredTask).StatusCode);
        var invites = Net.Log.Where(m => m.IsRequest && m.Method == "INVITE").ToList();
        Assert.Equal(2, invites.Count);
        Assert.Equal(invites[0].CallId, invites[1].CallId);
        Assert.Equal(invites[0].From!.Tag, invites[1].From!.Tag);
        Assert.Equal(2u, invites[1].CSeq!.Value.Number);
        Assert.NotEqual(invites[0].TopVia!.Branch, invites[1].TopVia!.Branch);
        // The 401 was ACKed inside its transaction, the 200 by the UA with the new CSeq.
        var acks = Net.Log.Where(m => m.IsRequest && m.Method == "ACK").ToList();
        Assert.Equal([1u, 2u], acks.Select(a => a.CSeq!.Value.Number));
    }

    [Fact]
    public async Task ReinviteFromTheCallerIsAnsweredAndAcked()
    {
        var (o, i) = Connect();
        var newSdp = Sdp.Replace("4000", "4010", StringComparison.Ordinal);
        var pending = o.ReinviteAsync(newSdp);
        Net.Pump();
        var final = await pending;
        Assert.Equal(200, final!.StatusCode);
        Assert.Contains("4010", i.RemoteSdp, StringComparison.Ordinal);
        Assert.Equal(newSdp, o.LocalSdp);
        var ack = Net.Log.Last(m => m.IsRequest && m.Method == "ACK");
        Assert.Equal(new SipCSeq(2, "ACK"), ack.CSeq);
        // The ACK stopped Bob's 2xx retransmissions.
        int before = Net.Log.Count;
        Time.Advance(TimeSpan.FromSeconds(40));
        Net.Pump();
        Assert.Equal(before, Net.Log.Count);
    }
}
