using System.Net;
using System.Text;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

public class TransactionTests
{
    private static readonly SipRemote Udp = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.20"), 5060));
    private static readonly SipRemote Tcp = new(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse("192.0.2.20"), 5060));
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingSender _sender;
    private readonly SipTransactionLayer _layer;

    public TransactionTests()
    {
        _sender = new RecordingSender(_time);
        _layer = new SipTransactionLayer(_sender, _time);
    }

    internal static SipMessage Request(string method, string branch = "z9hG4bKaaa", uint cseq = 1, string? toTag = null)
    {
        var text = $"{method} sip:bob@192.0.2.20 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch={branch}\r\nMax-Forwards: 70\r\n" +
                   $"From: <sip:alice@192.0.2.10>;tag=from1\r\nTo: <sip:bob@192.0.2.20>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
                   $"Call-ID: call-1@192.0.2.10\r\nCSeq: {cseq} {method}\r\nContact: <sip:alice@192.0.2.10>\r\nContent-Length: 0\r\n\r\n";
        SipMessage.TryParse(Encoding.ASCII.GetBytes(text), true, out var m, out _, out _);
        return m!;
    }

    private static SipMessage Response(SipMessage req, int code, string tag = "to1") => SipMessageFactory.CreateResponse(req, code, "X", tag);

    private List<double> SendTimes(string method) =>
        _sender.Sent.Where(s => s.Message.IsRequest && s.Message.Method == method).Select(s => (s.At - _sender.Sent[0].At).TotalSeconds).ToList();

    [Fact]
    public async Task InviteClientRetransmitsWithTimerAAndTimesOutWithTimerB()
    {
        var tx = _layer.SendRequest(Request("INVITE"), Udp);
        _time.Advance(TimeSpan.FromSeconds(40));
        // Timer A: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; Timer B at 64*T1 = 32 s ends it.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5], SendTimes("INVITE"));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(SipTransactionFailure.Timeout, tx.Failure);
        Assert.Null(await tx.FinalResponse);
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public void InviteClientOverTcpDoesNotRetransmit()
    {
        _layer.SendRequest(Request("INVITE"), Tcp);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(SendTimes("INVITE"));
    }

    [Fact]
    public async Task ProvisionalStopsInviteRetransmissionAndFailureIsAckedInsideTheTransaction()
    {
        var inv = Request("INVITE");
        var tx = _layer.SendRequest(inv, Udp);
        var seen = new List<int>();
        tx.ResponseReceived += (_, r) => seen.Add(r.StatusCode);
        _layer.OnMessage(Response(inv, 180), Udp);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(SendTimes("INVITE"));
        var busy = Response(inv, 486);
        _layer.OnMessage(busy, Udp);
        _layer.OnMessage(busy, Udp); // retransmission: ACK again, not passed up
        Assert.Equal([180, 486], seen);
        var acks = _sender.Requests("ACK");
        Assert.Equal(2, acks.Count);
        // §17.1.1.3: same branch as the INVITE, CSeq method ACK, To with the response's tag.
        Assert.Equal("z9hG4bKaaa", acks[0].TopVia!.Branch);
        Assert.Equal(new Callbridge.Sip.Headers.SipCSeq(1, "ACK"), acks[0].CSeq);
        Assert.Equal("to1", acks[0].To!.Tag);
        Assert.Equal(SipTransactionState.Completed, tx.State);
        _time.Advance(TimeSpan.FromSeconds(32)); // Timer D
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(486, (await tx.FinalResponse)!.StatusCode);
    }

    [Fact]
    public void NonInviteClientUsesTimerECappedAtT2ThenTimerF()
    {
        var tx = _layer.SendRequest(Request("OPTIONS"), Udp);
        _time.Advance(TimeSpan.FromSeconds(33));
        // Timer E: 0.5, 1, 2, 4, 4, 4 ... (T2 = 4 s) until Timer F = 32 s.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], SendTimes("OPTIONS"));
        Assert.Equal(SipTransactionFailure.Timeout, tx.Failure);
    }

    [Fact]
    public void NonInviteClientCompletedAbsorbsRetransmissionsForTimerK()
    {
        var req = Request("BYE", toTag: "to1");
        var tx = _layer.SendRequest(req, Udp);
        var ok = Response(req, 200);
        _layer.OnMessage(ok, Udp);
        Assert.Equal(SipTransactionState.Completed, tx.State);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(SipTransactionState.Completed, tx.State);
        _time.Advance(TimeSpan.FromSeconds(0.2)); // T4 = 5 s
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public void InviteServerSends100AndRetransmitsFailureWithTimerGUntilAck()
    {
        SipServerTransaction? st = null;
        _layer.RequestReceived += t => st = t;
        var inv = Request("INVITE");
        _layer.OnMessage(inv, Udp);
        Assert.NotNull(st);
        Assert.Single(_sender.Responses(100));
        _layer.OnMessage(inv, Udp); // retransmitted INVITE -> 100 again, no new transaction
        Assert.Equal(2, _sender.Responses(100).Count);
        st.Respond(Response(inv, 486));
        _time.Advance(TimeSpan.FromSeconds(4));
        // Timer G: 0, 0.5, 1.5, 3.5 s.
        Assert.Equal(4, _sender.Responses(486).Count);
        bool? acked = null;
        st.AckOrTimeout += (_, a) => acked = a;
        var ack = SipMessageFactory.CreateAckForFailure(inv, Response(inv, 486));
        _layer.OnMessage(ack, Udp);
        Assert.True(acked);
        Assert.Equal(SipTransactionState.Confirmed, st.State);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(4, _sender.Responses(486).Count);
        Assert.Equal(SipTransactionState.Terminated, st.State); // Timer I
    }

    [Fact]
    public void InviteServerGivesUpWithTimerH()
    {
        SipServerTransaction? st = null;
        _layer.RequestReceived += t => st = t;
        var inv = Request("INVITE");
        _layer.OnMessage(inv, Udp);
        st!.Respond(Response(inv, 404));
        bool? acked = null;
        st.AckOrTimeout += (_, a) => acked = a;
        _time.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Null(acked);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(acked);
        Assert.Equal(SipTransactionState.Terminated, st.State);
        // G doubles to T2: 0, .5, 1.5, 3.5, 7.5, 11.5, ..., 31.5 -> 11 sends.
        Assert.Equal(11, _sender.Responses(404).Count);
    }

    [Fact]
    public void NonInviteServerReplaysLastResponseThenTimerJ()
    {
        SipServerTransaction? st = null;
        int created = 0;
        _layer.RequestReceived += t => { st = t; created++; };
        var req = Request("OPTIONS");
        _layer.OnMessage(req, Udp);
        st!.Respond(Response(req, 200));
        _layer.OnMessage(req, Udp);
        Assert.Equal(1, created);
        Assert.Equal(2, _sender.Responses(200).Count);
        _time.Advance(TimeSpan.FromSeconds(32.1));
        Assert.Equal(SipTransactionState.Terminated, st.State);
        _layer.OnMessage(req, Udp);
        Assert.Equal(2, created);
    }

    [Fact]
    public void CancelFindsTheInviteTransactionByBranch()
    {
        var inv = Request("INVITE", "z9hG4bKinv");
        _layer.OnMessage(inv, Udp);
        var cancel = SipMessageFactory.CreateCancel(inv);
        Assert.Equal("z9hG4bKinv", cancel.TopVia!.Branch);
        Assert.Equal(new Callbridge.Sip.Headers.SipCSeq(1, "CANCEL"), cancel.CSeq);
        var found = _layer.FindInviteFor(cancel);
        Assert.NotNull(found);
        Assert.Same(inv, found.Request);
        Assert.Null(_layer.FindInviteFor(SipMessageFactory.CreateCancel(Request("INVITE", "z9hG4bKother"))));
    }

    [Fact]
    public void TwoHundredIsRetransmittedUntilAckT1DoublingToT2()
    {
        var inv = Request("INVITE");
        var ok = Response(inv, 200);
        bool acked = false, timedOut = false;
        _layer.RetransmitUntilAck(ok, Udp, () => acked = true, () => timedOut = true);
        _time.Advance(TimeSpan.FromSeconds(12));
        // Retransmissions at 0.5, 1.5, 3.5, 7.5, 11.5 s (§13.3.1.4); the first send is the transaction's.
        Assert.Equal(5, _sender.Responses(200).Count);
        _layer.OnMessage(Request("ACK", "z9hG4bKack", 1, "to1"), Udp);
        Assert.True(acked);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(5, _sender.Responses(200).Count);
        Assert.False(timedOut);
    }

    [Fact]
    public void TwoHundredWithoutAckTimesOutAfter64T1()
    {
        var ok = Response(Request("INVITE"), 200);
        bool timedOut = false;
        _layer.RetransmitUntilAck(ok, Udp, () => { }, () => timedOut = true);
        _time.Advance(TimeSpan.FromSeconds(31.9));
        Assert.False(timedOut);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(timedOut);
    }

    [Fact]
    public void TimerBDoesNotEndARingingInvite()
    {
        var inv = Request("INVITE");
        var tx = _layer.SendRequest(inv, Udp);
        _layer.OnMessage(Response(inv, 180), Udp);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(SipTransactionState.Proceeding, tx.State);
        Assert.Equal(SipTransactionFailure.None, tx.Failure);
    }
}
