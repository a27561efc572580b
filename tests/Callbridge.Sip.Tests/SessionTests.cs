using System.Net;
using System.Text;
using Callbridge.Sip.Auth;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Mid-call behaviour of the UA over the in-memory network with a manual clock: offers in re-INVITEs
/// (RFC 3264 §8, hold), glare (§14.2), offerless re-INVITE, OPTIONS keepalive (§11, RFC 5057), and digest on
/// requests other than the first INVITE (§22.2, RFC 2617 stale).</summary>
public class SessionTests : TwoUserAgents
{
    private static readonly IPEndPoint TrunkAddr = new(IPAddress.Parse("192.0.2.3"), 5060);
    private static SipRemote ToTrunk => new(SipTransportProtocol.Udp, TrunkAddr);

    public SessionTests() : base(ringBeforeAnswer: false) { }

    private static string Hold(string sdp, string direction) => sdp.Replace("a=sendrecv", "a=" + direction, StringComparison.Ordinal);

    [Theory]
    [InlineData("sendonly", "recvonly")]
    [InlineData("inactive", "inactive")]
    [InlineData("sendrecv", "sendrecv")]
    public async Task OfferInReinviteIsAnsweredByTheAnswerer(string offered, string answered)
    {
        var (o, i) = Connect();
        var offers = new List<string>();
        i.OfferAnswerer = offer =>
        {
            offers.Add(offer);
            string dir = offer.Contains("a=sendonly", StringComparison.Ordinal) ? "recvonly" : offer.Contains("a=inactive", StringComparison.Ordinal) ? "inactive" : "sendrecv";
            return Hold(Sdp, dir);
        };
        var final = await Settle(o.ReinviteAsync(Hold(Sdp, offered)));
        Assert.Equal(200, final!.StatusCode);
        Assert.Equal(Hold(Sdp, offered), Assert.Single(offers));
        Assert.Contains("a=" + answered, o.RemoteSdp, StringComparison.Ordinal);
        Assert.Equal(Hold(Sdp, answered), i.LocalSdp);
        Assert.Equal(Hold(Sdp, offered), i.RemoteSdp);
    }

    [Fact]
    public async Task RefusedOfferGets488AndLeavesTheSessionAsItWas()
    {
        var (o, i) = Connect();
        i.OfferAnswerer = _ => null;
        var before = (i.RemoteSdp, i.LocalSdp, i.Dialog!.RemoteTarget.ToString());
        Assert.Equal(488, (await Settle(o.ReinviteAsync(Hold(Sdp, "sendonly"))))!.StatusCode);
        Assert.Equal(before, (i.RemoteSdp, i.LocalSdp, i.Dialog.RemoteTarget.ToString()));
        Assert.Equal(Sdp, o.LocalSdp);
        Assert.False(i.IsEnded);
    }

    [Fact]
    public async Task CrossingReinvitesBothGet491()
    {
        var (o, i) = Connect();
        var fromAlice = o.ReinviteAsync(Hold(Sdp, "sendonly"));
        var fromBob = i.ReinviteAsync(Hold(Sdp, "inactive"));
        Assert.Equal(491, (await Settle(fromAlice))!.StatusCode);
        Assert.Equal(491, (await Settle(fromBob))!.StatusCode);
        // Neither pending flag sticks: the next re-INVITE goes through.
        Assert.Equal(200, (await Settle(o.ReinviteAsync(Hold(Sdp, "sendonly"))))!.StatusCode);
    }

    [Fact]
    public void ReinviteWithoutOfferGetsOurOfferAndTheAckCarriesTheAnswer()
    {
        var (o, i) = Connect();
        var inv = o.Dialog!.CreateRequest("INVITE", NewVia(), SipUri.Sip("alice", "192.0.2.1", 5060));
        var tx = Alice.Transactions.SendRequest(inv, ToBob);
        Net.Pump();
        Assert.Equal(200, tx.LastResponse!.StatusCode);
        Assert.Equal(Sdp, Encoding.UTF8.GetString(tx.LastResponse.Body.Span));
        var ack = o.Dialog.CreateRequest("ACK", NewVia(), SipUri.Sip("alice", "192.0.2.1", 5060), inv.CSeq!.Value.Number);
        string answer = Hold(Sdp, "recvonly").Replace("4000", "4100", StringComparison.Ordinal);
        ack.SetBody(Encoding.UTF8.GetBytes(answer), "application/sdp");
        Alice.Sender.Send(ack, ToBob);
        Net.Pump();
        Assert.Equal(answer, i.RemoteSdp);
    }

    [Fact]
    public async Task KeepaliveOptionsKeepALiveDialogAndEndOneThePeerForgot()
    {
        var (o, i) = Connect();
        i.StartKeepalive(TimeSpan.FromSeconds(30));
        Time.Advance(TimeSpan.FromSeconds(30));
        Net.Pump();
        var options = Net.Log.Where(m => m.IsRequest && m.Method == "OPTIONS").ToList();
        var first = Assert.Single(options);
        Assert.Equal(i.Dialog!.CallId, first.CallId);
        Assert.Equal(o.Dialog!.LocalTag, first.To!.Tag);
        Assert.Contains(Net.Log, m => !m.IsRequest && m.StatusCode == 200 && m.CSeq!.Value.Method == "OPTIONS");
        Assert.False(i.IsEnded);

        // Alice restarts and no longer knows the dialog: 481 to the next OPTIONS ends the call (RFC 5057 §5.1).
        var reborn = new SipUserAgent(Net.Attach(AliceAddr, (m, r) => _reborn!.OnMessage(m, r)), Time);
        _reborn = reborn;
        Time.Advance(TimeSpan.FromSeconds(30));
        Net.Pump();
        Assert.Equal(new SipCallEnd(SipCallOutcome.KeepaliveFailed, 481, "Call/Transaction Does Not Exist"), await Settle(i.Ended));
        Assert.Equal(0, Bob.ActiveCalls);
    }

    private SipUserAgent? _reborn;

    [Fact]
    public async Task KeepaliveWithNoAnswerEndsTheCallAfterTimerFWithBye()
    {
        var (_, i) = Connect();
        i.StartKeepalive(TimeSpan.FromSeconds(30));
        Net.Attach(AliceAddr, (_, _) => { });
        Time.Advance(TimeSpan.FromSeconds(30));
        for (int s = 0; s < 40; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Net.Pump();
        }
        Assert.Equal(new SipCallEnd(SipCallOutcome.KeepaliveFailed, 408, "Keepalive timed out"), await Settle(i.Ended));
        Net.Pump();
        var bye = Net.Log.Last(m => m.IsRequest && m.Method == "BYE");
        Assert.Equal(SipReason.Sip(408, "Keepalive timed out"), Assert.Single(bye.Reasons));
    }

    /// <summary>A trunk on the bare transaction layer: answers INVITE 200, challenges the first of every other request.</summary>
    private sealed class Trunk
    {
        public readonly List<SipMessage> Verified = [];
        public readonly HashSet<string> Challenged = [];
        public SipTransactionLayer Layer = null!;
        public int Status = 407;
        public bool StaleSecond;

        public void OnRequest(SipServerTransaction tx)
        {
            var req = tx.Request;
            if (req.Method == "INVITE" && req.To?.Tag is null && Status != 401)
            {
                var ok = SipMessageFactory.CreateResponse(req, 200, "OK", "trunk");
                ok.Add("Contact", "<sip:trunk@192.0.2.3:5060>");
                tx.Respond(ok);
                return;
            }
            var auth = req.Find(Status == 407 ? SipHeaderKind.ProxyAuthorization : SipHeaderKind.Authorization);
            if (auth is null || StaleSecond && Challenged.Add("stale"))
            {
                var c = SipMessageFactory.CreateResponse(req, Status, Status == 407 ? "Proxy Authentication Required" : "Unauthorized", "trunk");
                c.Add(Status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate",
                    "Digest realm=\"trunk.example\", nonce=\"n" + Challenged.Count + "\", qop=\"auth\", algorithm=MD5" + (auth is null ? "" : ", stale=true"));
                Challenged.Add(req.Method + req.CSeq!.Value.Number);
                tx.Respond(c);
                return;
            }
            SipDigestChallenge.TryParseParams(auth.Value, "Digest", out var p);
            var expected = SipDigest.ComputeResponse("MD5", "alice", "trunk.example", "pw", req.Method, p["uri"], p["nonce"], "auth", p["nc"], p["cnonce"]);
            if (expected != p["response"])
            {
                // Wrong credentials get a fresh, non-stale challenge, as registrars do.
                var again = SipMessageFactory.CreateResponse(req, Status, "Unauthorized", "trunk");
                again.Add(Status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", "Digest realm=\"trunk.example\", nonce=\"fresh\", qop=\"auth\"");
                tx.Respond(again);
                return;
            }
            Verified.Add(req);
            var done = SipMessageFactory.CreateResponse(req, 200, "OK", "trunk");
            if (req.Method == "INVITE") done.Add("Contact", "<sip:trunk@192.0.2.3:5060>");
            tx.Respond(done);
        }
    }

    private Trunk AttachTrunk()
    {
        var trunk = new Trunk();
        var port = Net.Attach(TrunkAddr, (m, r) => trunk.Layer.OnMessage(m, r));
        trunk.Layer = new SipTransactionLayer(port, Time);
        trunk.Layer.RequestReceived += trunk.OnRequest;
        return trunk;
    }

    [Fact]
    public async Task ByeChallengedByTheTrunkIsSentAgainWithProxyAuthorization()
    {
        var trunk = AttachTrunk();
        var call = Alice.Call(SipUri.Sip("+15550100", "192.0.2.3"), ToTrunk, Sdp);
        Net.Pump();
        Assert.Equal(200, (await call.AnsweredTask).StatusCode);
        await Settle(call.HangupAsync(SipReason.Q850(16)).ContinueWith(_ => true, TaskScheduler.Default));
        var byes = Net.Log.Where(m => m.IsRequest && m.Method == "BYE").ToList();
        Assert.Equal(2, byes.Count);
        Assert.Null(byes[0].Find(SipHeaderKind.ProxyAuthorization));
        Assert.Equal(byes[0].CSeq!.Value.Number + 1, byes[1].CSeq!.Value.Number);
        Assert.Equal(SipReason.Q850(16), Assert.Single(byes[1].Reasons));
        Assert.Equal("BYE", Assert.Single(trunk.Verified).Method);
    }

    [Fact]
    public async Task InfoChallengedByTheTrunkIsSentAgainWithItsBody()
    {
        var trunk = AttachTrunk();
        var call = Alice.Call(SipUri.Sip("+15550100", "192.0.2.3"), ToTrunk, Sdp);
        Net.Pump();
        Assert.Equal(200, (await call.AnsweredTask).StatusCode);
        var final = await Settle(call.SendInfoAsync("application/dtmf-relay", "Signal=5\r\nDuration=100\r\n"u8.ToArray()));
        Assert.Equal(200, final!.StatusCode);
        var infos = Net.Log.Where(m => m.IsRequest && m.Method == "INFO").ToList();
        Assert.Equal(2, infos.Count);
        Assert.All(infos, i => Assert.Equal(("application/dtmf-relay", "Signal=5\r\nDuration=100\r\n"), (i.ContentType, System.Text.Encoding.ASCII.GetString(i.Body.Span))));
        Assert.Equal("INFO", Assert.Single(trunk.Verified).Method);
    }

    [Fact]
    public async Task PingAnswersAChallengeOnceAndReportsTheFinalResponse()
    {
        var trunk = AttachTrunk();
        var final = await Settle(Alice.PingAsync(SipUri.Sip(null, "192.0.2.3"), ToTrunk));
        Assert.Equal(200, final!.StatusCode);
        var options = Net.Log.Where(m => m.IsRequest && m.Method == "OPTIONS").ToList();
        Assert.Equal([1u, 2u], options.Select(m => m.CSeq!.Value.Number));
        Assert.Equal(options[0].CallId, options[1].CallId);
        Assert.Single(trunk.Verified);

        var ok = (await Settle(Alice.PingAsync(SipUri.Sip("bob", "192.0.2.2"), ToBob)))!;
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("INVITE", ok.Find(SipHeaderKind.Allow)!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleNonceIsAnsweredAgainButWrongCredentialsEndTheCall()
    {
        var trunk = AttachTrunk();
        trunk.Status = 401;
        trunk.StaleSecond = true;
        var call = Alice.Call(SipUri.Sip("+15550100", "192.0.2.3"), ToTrunk, Sdp);
        Net.Pump();
        Assert.Equal(200, (await call.AnsweredTask).StatusCode);
        Assert.Equal(3, Net.Log.Count(m => m.IsRequest && m.Method == "INVITE"));

        // Wrong password: the second challenge is not stale, so it is not answered and the call fails with it.
        var net2 = new InMemoryNetwork();
        SipUserAgent? a = null;
        var aPort = net2.Attach(AliceAddr, (m, r) => a!.OnMessage(m, r));
        a = new SipUserAgent(aPort, Time, new SipUserAgentOptions { AuthUser = "alice", AuthPassword = "wrong" });
        var t2 = new Trunk { Status = 401 };
        t2.Layer = new SipTransactionLayer(net2.Attach(TrunkAddr, (m, r) => t2.Layer.OnMessage(m, r)), Time);
        t2.Layer.RequestReceived += t2.OnRequest;
        var failing = a.Call(SipUri.Sip("+15550100", "192.0.2.3"), ToTrunk, Sdp);
        net2.Pump();
        var end = await failing.Ended;
        Assert.Equal((SipCallOutcome.Failed, 401), (end.Outcome, end.StatusCode));
        Assert.Equal(2, net2.Log.Count(m => m.IsRequest && m.Method == "INVITE"));
    }

    /// <summary>Pumps the network until the task completes: requests sent from continuations (a retry after a
    /// challenge) reach the wire only after the answer they wait for was delivered.</summary>
    private async Task<T> Settle<T>(Task<T> task)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!task.IsCompleted && DateTime.UtcNow < until)
        {
            Net.Pump();
            await Task.Delay(2);
        }
        Net.Pump();
        return await task.WaitAsync(TimeSpan.FromSeconds(1));
    }

    private static SipVia NewVia() => new() { Host = "192.0.2.1", Port = 5060, Branch = SipMessageFactory.NewBranch() };
}
